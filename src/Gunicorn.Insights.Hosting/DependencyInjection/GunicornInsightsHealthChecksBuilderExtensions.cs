using Gunicorn.Insights.Hosting;
using Gunicorn.Insights.Hosting.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

// Extension methods for IHealthChecksBuilder live in Microsoft's namespace by convention, as ASP.NET Core's own do.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Adds the Gunicorn.Insights health check to a host's health checks.</summary>
public static class GunicornInsightsHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="GunicornInsightsHealthCheck"/> over the <see cref="LatestAnalysis"/> the host records:
    /// <c>services.AddHealthChecks().AddGunicornInsights()</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Tags to filter checks by (e.g. <c>ready</c>).</param>
    public static IHealthChecksBuilder AddGunicornInsights(this IHealthChecksBuilder builder,
        string name = GunicornInsightsHealthCheck.DefaultName, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGunicornInsightsHosting();
        return builder.AddCheck<GunicornInsightsHealthCheck>(name, failureStatus: null, tags ?? []);
    }
}
