using BenchmarkDotNet.Attributes;
using Gunicorn.Insights.Benchmarks.Reporting;

namespace Gunicorn.Insights.Benchmarks.Rules;

/// <summary>
/// One session over a growing number of facts (copies of the typical host): the time per fact must stay flat from
/// 100 to 100 000 facts, i.e. the engine grows linearly, not quadratically.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortRunConfig))]
public class FactScalingBenchmarks
{
    private IReadOnlyList<object> _facts = [];
    private DeploymentAnalyzer _analyzer = null!;

    /// <summary>Facts in the session.</summary>
    [ParamsSource(nameof(FactCounts))]
    public int Facts { get; set; }

    /// <summary>The fact counts measured.</summary>
    public static IEnumerable<int> FactCounts => BenchmarkInputs.Smoke ? [100, 1_000] : [100, 1_000, 10_000, 100_000];

    /// <summary>Builds the facts, outside the measurement.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _analyzer = Analyzers.BuiltIn;
        _facts = Fleet.OfFacts(Facts);
    }

    /// <summary>Evaluates every rule on the facts.</summary>
    [Benchmark]
    public AnalysisResult Session() => _analyzer.Analyze(_facts);
}
