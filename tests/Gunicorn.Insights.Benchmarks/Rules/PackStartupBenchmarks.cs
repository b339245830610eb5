using BenchmarkDotNet.Attributes;
using Gunicorn.Insights.Benchmarks.Reporting;
using Gunicorn.Insights.Configuration;

namespace Gunicorn.Insights.Benchmarks.Rules;

/// <summary>
/// What a process pays before its first diagnosis: compiling the built-in pack into a session factory, and that plus
/// the first session on the typical host (conditions and actions are compiled when a session first needs them).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortRunConfig))]
public class PackStartupBenchmarks
{
    private IReadOnlyList<object> _facts = [];

    /// <summary>Reads the host once, outside the measurement.</summary>
    [GlobalSetup]
    public void Setup() => _facts = Fleet.OneHost;

    /// <summary>Discovers and compiles the pack's rules.</summary>
    [Benchmark]
    public int Compile() => RulePackLoader.Compile(new GunicornInsightsOptions()).RuleNames.Count;

    /// <summary>Compiles the pack and every condition and action up front, as the command-line tool does on a second core while it reads.</summary>
    [Benchmark]
    public int CompileEverything()
    {
        var factory = RulePackLoader.Compile(new GunicornInsightsOptions());
        factory.Precompile();
        return factory.RuleNames.Count;
    }

    /// <summary>Compiles the pack and runs the first session on the host.</summary>
    [Benchmark]
    public AnalysisResult CompileAndFirstSession() =>
        new DeploymentAnalyzer(RulePackLoader.Compile(new GunicornInsightsOptions()), InsightConfiguration.Default).Analyze(_facts);
}
