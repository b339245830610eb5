using BenchmarkDotNet.Attributes;
using Gunicorn.Insights.Benchmarks.Reporting;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Benchmarks.Readers;

/// <summary>
/// The error-log reader in process, as the command line uses it (detection, then GunicornErrorLogReader through
/// ArtifactReaders) on a generated log with rare worker timeouts and SIGKILLs among ordinary lines.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LongRunConfig))]
public class ErrorLogScanBenchmarks
{
    private readonly ArtifactReaders _readers = BuiltInReaders.Create();
    private string _path = "";

    /// <summary>The generated log's size in MiB.</summary>
    [ParamsSource(nameof(Sizes))]
    public int MegaBytes { get; set; }

    /// <summary>The sizes measured.</summary>
    public static IEnumerable<int> Sizes => BenchmarkInputs.Smoke ? [1] : [256];

    /// <summary>Generates the log if missing and checks it is read as what it is.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _path = BenchmarkInputs.ErrorLog(MegaBytes);
        var read = Scan();
        if (read.Inputs is not [{ Kind: ArtifactKind.GunicornErrorLog }] || read.Observations.Count == 0)
        {
            throw new InvalidOperationException($"{_path} was not read as a Gunicorn error log");
        }
    }

    /// <summary>Reads the whole log into signatures and worker events.</summary>
    [Benchmark]
    public ReadResult Scan() => _readers.Read([new ArtifactRequest(_path) { Instance = "web-1" }]);
}
