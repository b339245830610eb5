using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// GI3003: Gunicorn's request duration starts after accept(), and the evidence shows time it cannot see: a saturated
/// worker pool while latency is measured only by Gunicorn, or a proxy-side P95 above Gunicorn's by more than
/// <c>margin</c>. Encodes "Request duration metric excludes socket accept queue time" and "Request duration metric
/// excludes socket queue wait time".
/// It reports GI0003 instead when the evidence hints at the problem but is too thin to show it.
/// </summary>
public sealed class QueueTimeExcludedRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<WorkerPoolSaturation> saturations = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        IReadOnlyList<ConfigParameter> proxyTimings = null!;
        RuleParameters parameters = null!;
        QueueTimeAssessment assessment = null!;

        When()
            .Match(() => configuration)
            .Collect(() => saturations, (WorkerPoolSaturation s) => s.Instance == configuration.Instance)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == configuration.Instance)
            .Collect(() => proxyTimings, (ConfigParameter p) => p.Instance == configuration.Instance,
                p => p.Scope == ConfigurationScope.Nginx && p.Name == "log_format"
                    && (p.Value.Text.Contains("$upstream_response_time") || p.Value.Text.Contains("$request_time")))
            .Having(() => saturations.Count > 0 || histograms.Count > 0)
            .Match(() => parameters)
            .Let(() => assessment, () => QueueTimeAssessment.Of(configuration, saturations, histograms, proxyTimings,
                parameters.Duration(LatencyDescriptors.QueueTimeExcluded, "margin"),
                parameters.Integer(LatencyDescriptors.QueueTimeExcluded, "min-requests")))
            .Having(() => assessment.Fires || assessment.Inconclusive);
        Then()
            .Report(LatencyDescriptors.QueueTimeExcluded, () => assessment.Fires, () => assessment.ToFinding())
            .Report(EngineDescriptors.InsufficientEvidence, () => assessment.Inconclusive, () => assessment.ToInconclusiveFinding());
    }
}
