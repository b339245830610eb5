using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// GI0003 for GI3001: the histograms hint at a P95 above the limit but cannot show it, because they hold fewer than
/// <c>min-requests</c> requests or their highest bucket bound is below the limit and the P95 lies beyond it.
/// </summary>
public sealed class InconclusiveP95LatencyRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        RuleParameters parameters = null!;
        P95Assessment assessment = null!;

        When()
            .Match(() => configuration)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == configuration.Instance)
            .Having(() => histograms.Count > 0)
            .Match(() => parameters)
            .Let(() => assessment, () => P95Assessment.Of(histograms,
                parameters.Duration(LatencyDescriptors.HighP95Latency, "p95-limit"),
                parameters.Integer(LatencyDescriptors.HighP95Latency, "min-requests")))
            .Having(() => assessment.Inconclusive);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => assessment.ToInconclusiveFinding());
    }
}
