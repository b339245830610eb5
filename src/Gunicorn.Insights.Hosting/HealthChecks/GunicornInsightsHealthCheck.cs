using Gunicorn.Insights.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gunicorn.Insights.Hosting.HealthChecks;

/// <summary>
/// Reports the latest recorded analysis as health: Unhealthy when it has a critical diagnosis, Degraded when it has
/// a warning, Healthy otherwise (and before any analysis). The data holds the counts per severity, the suppressed
/// count, the rule IDs that reported and when the analysis was recorded. Suppressed diagnoses never lower the status.
/// </summary>
public sealed class GunicornInsightsHealthCheck : IHealthCheck
{
    /// <summary>The name the check is registered under unless the host gives another.</summary>
    public const string DefaultName = "gunicorn-insights";

    private readonly LatestAnalysis _latest;

    /// <summary>Creates the check over <paramref name="latest"/>.</summary>
    public GunicornInsightsHealthCheck(LatestAnalysis latest)
    {
        ArgumentNullException.ThrowIfNull(latest);
        _latest = latest;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check(_latest.Current));

    private static HealthCheckResult Check(RecordedAnalysis? recorded)
    {
        if (recorded is null)
        {
            return HealthCheckResult.Healthy("No analysis recorded yet.");
        }

        var diagnoses = recorded.Result.Diagnoses;
        var critical = diagnoses.Count(d => d.Severity == Severity.Critical);
        var warning = diagnoses.Count(d => d.Severity == Severity.Warning);
        var info = diagnoses.Count(d => d.Severity == Severity.Info);
        var rules = diagnoses.Select(d => d.Id).Distinct(StringComparer.Ordinal).ToArray();
        var data = new Dictionary<string, object>
        {
            ["critical"] = critical,
            ["warning"] = warning,
            ["info"] = info,
            ["suppressed"] = recorded.Result.SuppressedDiagnoses.Count,
            ["rules"] = rules,
            ["recordedAt"] = recorded.RecordedAt,
        };
        var description = diagnoses.Count == 0
            ? "No diagnoses."
            : $"{critical} critical, {warning} warning, {info} info: {string.Join(", ", rules)}";
        return critical > 0 ? HealthCheckResult.Unhealthy(description, data: data)
            : warning > 0 ? HealthCheckResult.Degraded(description, data: data)
            : HealthCheckResult.Healthy(description, data);
    }
}
