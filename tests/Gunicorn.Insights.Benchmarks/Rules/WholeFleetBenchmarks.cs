using BenchmarkDotNet.Attributes;
using Gunicorn.Insights.Benchmarks.Reporting;

namespace Gunicorn.Insights.Benchmarks.Rules;

/// <summary>
/// A whole fleet's observations in one session: 1 000 and 10 000 hosts (web-0…web-9999), each a copy of the typical
/// host (about 1 260 facts), so 1.26 and 12.6 million facts. The 10 000-host case needs about 10 GB of memory and
/// minutes per session, so one measured session follows the warm-up.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LongRunConfig))]
[IterationCount(1)]
public class WholeFleetBenchmarks
{
    private IReadOnlyList<object> _facts = [];
    private DeploymentAnalyzer _analyzer = null!;

    /// <summary>Hosts in the session.</summary>
    [ParamsSource(nameof(HostCounts))]
    public int Hosts { get; set; }

    /// <summary>The fleet sizes measured.</summary>
    public static IEnumerable<int> HostCounts => BenchmarkInputs.Smoke ? [10] : [1_000, 10_000];

    /// <summary>Builds the fleet, outside the measurement.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _analyzer = Analyzers.BuiltIn;
        _facts = Fleet.OfHosts(Hosts);
    }

    /// <summary>Evaluates every rule on every host at once.</summary>
    [Benchmark]
    public AnalysisResult Session() => _analyzer.Analyze(_facts);
}
