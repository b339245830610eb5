using BenchmarkDotNet.Attributes;
using Gunicorn.Insights.Benchmarks.Reporting;

namespace Gunicorn.Insights.Benchmarks.Rules;

/// <summary>
/// One session of the whole built-in pack over one typical host's observations: the per-host cost a monitoring app
/// pays on every evaluation. Operations per second are sessions per second; allocated bytes are per session.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class SingleHostSessionBenchmarks
{
    private IReadOnlyList<object> _facts = [];
    private DeploymentAnalyzer _analyzer = null!;

    /// <summary>The host evaluated.</summary>
    [Params(HostSize.Incident, HostSize.FewHundredFacts)]
    public HostSize Host { get; set; }

    /// <summary>Reads the host and compiles the pack, outside the measurement.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _facts = Fleet.Of(Host);
        _analyzer = Analyzers.BuiltIn;
        if (_analyzer.Analyze(_facts).Diagnoses.Count == 0)
        {
            throw new InvalidOperationException("the typical host gave no diagnoses");
        }
    }

    /// <summary>Evaluates every rule on the host.</summary>
    [Benchmark]
    public AnalysisResult OneHost() => _analyzer.Analyze(_facts);
}
