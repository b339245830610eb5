using BenchmarkDotNet.Attributes;
using Gunicorn.Insights.Benchmarks.Reporting;
using Gunicorn.Insights.Observations;

namespace Gunicorn.Insights.Benchmarks.Rules;

/// <summary>
/// A whole fleet evaluated the way a monitoring app polls it: one session per host, one after another on one core, for
/// 1 000 and 10 000 hosts (web-0…web-9999, each a copy of the typical host). One operation is the whole sweep.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LongRunConfig))]
public class FleetInSessionsBenchmarks
{
    private IReadOnlyList<Observation>[] _hosts = [];
    private DeploymentAnalyzer _analyzer = null!;

    /// <summary>Hosts swept.</summary>
    [ParamsSource(nameof(HostCounts))]
    public int Hosts { get; set; }

    /// <summary>The host evaluated for each member of the fleet.</summary>
    [Params(HostSize.Incident, HostSize.FewHundredFacts)]
    public HostSize Host { get; set; }

    /// <summary>The fleet sizes measured.</summary>
    public static IEnumerable<int> HostCounts => BenchmarkInputs.Smoke ? [10] : [1_000, 10_000];

    /// <summary>Builds every host's facts, outside the measurement.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _analyzer = Analyzers.BuiltIn;
        var host = Fleet.Of(Host);
        _hosts = [.. Enumerable.Range(0, Hosts).Select(i => (IReadOnlyList<Observation>)[.. host.Select(o => o with { Instance = $"web-{i}" })])];
    }

    /// <summary>Evaluates every host in its own session; returns the diagnoses found in all.</summary>
    [Benchmark]
    public int Sweep()
    {
        var diagnoses = 0;
        foreach (var host in _hosts)
        {
            diagnoses += _analyzer.Analyze(host).Diagnoses.Count;
        }

        return diagnoses;
    }
}
