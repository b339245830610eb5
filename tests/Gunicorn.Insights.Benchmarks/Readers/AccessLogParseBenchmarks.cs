using BenchmarkDotNet.Attributes;
using Gunicorn.Insights.Benchmarks.Reporting;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Benchmarks.Readers;

/// <summary>
/// The access-log reader on a generated log in a custom <c>access_log_format</c> (request time, busy-worker header),
/// read with its gunicorn.conf.py into duration distributions, status counts and busy-worker samples.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LongRunConfig))]
public class AccessLogParseBenchmarks
{
    private readonly ArtifactReaders _readers = BuiltInReaders.Create();
    private string _folder = "";

    /// <summary>The generated log's size in MiB.</summary>
    [ParamsSource(nameof(Sizes))]
    public int MegaBytes { get; set; }

    /// <summary>The sizes measured.</summary>
    public static IEnumerable<int> Sizes => BenchmarkInputs.Smoke ? [1] : [256];

    /// <summary>Generates the log if missing and checks its format was taken from the configuration.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _folder = BenchmarkInputs.AccessLogFolder(MegaBytes);
        var read = Parse();
        if (!read.Inputs.Any(i => i.Kind == ArtifactKind.GunicornAccessLog) || !read.Observations.OfType<RequestDurationHistogram>().Any()
            || !read.Observations.OfType<WorkerUtilization>().Any())
        {
            throw new InvalidOperationException($"{_folder} did not give duration distributions and busy-worker samples");
        }
    }

    /// <summary>Reads the configuration, then the whole access log.</summary>
    [Benchmark]
    public ReadResult Parse() => _readers.Read([new ArtifactRequest(_folder) { Instance = "web-1" }]);
}
