using Gunicorn.Insights;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Monitoring;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// Extension methods for IServiceCollection live in Microsoft's namespace by convention, so they show up without a using.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers Gunicorn.Insights in a host's service collection.</summary>
public static class GunicornInsightsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the rule engine with the built-in rule pack and any rule assemblies the host adds, the user's severity
    /// configuration and suppressions, a <see cref="DeploymentAnalyzer"/> and an <see cref="InsightMonitorFactory"/> for
    /// continuous monitoring. The rules are compiled once, on first use,
    /// into a shared <see cref="SessionFactory"/>.
    /// </summary>
    /// <example>
    /// <code>
    /// services.AddGunicornInsights(options => options
    ///     .AddRulesFromAssemblyContaining&lt;MyRule&gt;()
    ///     .SetSeverity("GI3001", ConfiguredSeverity.Critical)
    ///     .Suppress("GI2003", "reporting host: slow batch endpoints by design", instance: "reports-1"));
    /// </code>
    /// </example>
    public static IServiceCollection AddGunicornInsights(this IServiceCollection services, Action<GunicornInsightsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<GunicornInsightsOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(provider => RulePackLoader.Compile(Options(provider)));
        services.TryAddSingleton(provider => Options(provider).ToConfiguration());
        services.TryAddSingleton<DeploymentAnalyzer>();
        services.TryAddSingleton<InsightMonitorFactory>();
        return services;
    }

    private static GunicornInsightsOptions Options(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<GunicornInsightsOptions>>().Value;
}
