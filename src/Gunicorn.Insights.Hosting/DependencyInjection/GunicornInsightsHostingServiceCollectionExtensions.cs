using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Hosting;
using Gunicorn.Insights.Hosting.Configuration;
using Gunicorn.Insights.Hosting.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

// Extension methods for IServiceCollection live in Microsoft's namespace by convention, so they show up without a using.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers Gunicorn.Insights in a host, configured from <see cref="IConfiguration"/>.</summary>
public static class GunicornInsightsHostingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the rule engine as <c>AddGunicornInsights(configure)</c> does, with severities, suppressions and
    /// parameters read from <paramref name="section"/> (e.g. <c>configuration.GetSection("GunicornInsights")</c>, see
    /// <see cref="InsightConfigurationSection"/>), then <paramref name="configure"/>, whose settings win. Also
    /// registers <see cref="LatestAnalysis"/> and <see cref="DiagnosisLogger"/>. An invalid section is refused with an
    /// <see cref="InsightConfigurationException"/> naming the key path when the analyzer is first resolved.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services.AddGunicornInsights(builder.Configuration.GetSection("GunicornInsights"),
    ///     options => options.AddRulesFromAssemblyContaining&lt;MyRule&gt;());
    /// </code>
    /// </example>
    public static IServiceCollection AddGunicornInsights(this IServiceCollection services, IConfiguration section,
        Action<GunicornInsightsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddGunicornInsights(options => InsightConfigurationSection.Apply(section, options));
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddOptions<GunicornInsightsHostingOptions>().Configure(options =>
        {
            foreach (var child in section.GetChildren())
            {
                if (string.Equals(child.Key, nameof(GunicornInsightsHostingOptions.LogDiagnoses), StringComparison.OrdinalIgnoreCase))
                {
                    options.LogDiagnoses = InsightConfigurationSection.ReadBoolean(child);
                }
            }
        });
        return services.AddGunicornInsightsHosting();
    }

    /// <summary>
    /// Writes the diagnoses of every analysis recorded in <see cref="LatestAnalysis"/> through <c>ILogger</c>
    /// (the same as <c>"LogDiagnoses": true</c> in the section).
    /// </summary>
    public static IServiceCollection LogGunicornInsightsDiagnoses(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GunicornInsightsHostingOptions>().Configure(options => options.LogDiagnoses = true);
        return services.AddGunicornInsightsHosting();
    }

    /// <summary>Registers <see cref="LatestAnalysis"/> and <see cref="DiagnosisLogger"/> (and logging, if the host has not).</summary>
    internal static IServiceCollection AddGunicornInsightsHosting(this IServiceCollection services)
    {
        services.AddOptions<GunicornInsightsHostingOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DiagnosisLogger>();
        services.TryAddSingleton<LatestAnalysis>();
        return services;
    }
}
