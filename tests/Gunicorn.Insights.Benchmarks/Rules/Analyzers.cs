using Microsoft.Extensions.DependencyInjection;

namespace Gunicorn.Insights.Benchmarks.Rules;

/// <summary>The analyzer as a host app gets it: the built-in pack, default configuration, compiled once.</summary>
public static class Analyzers
{
    private static readonly Lazy<DeploymentAnalyzer> Default = new(() =>
        new ServiceCollection().AddGunicornInsights().BuildServiceProvider().GetRequiredService<DeploymentAnalyzer>());

    /// <summary>The shared analyzer.</summary>
    public static DeploymentAnalyzer BuiltIn => Default.Value;
}
