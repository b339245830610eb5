using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// GI3001: the P95 of the instance's request-duration histogram (or of one of its paths) is above <c>p95-limit</c>, so
/// "P95 latency exceeding 2 seconds degrades user experience".
/// It reports GI0003 instead when the evidence hints at the problem but is too thin to show it.
/// </summary>
public sealed class HighP95LatencyRule : Rule
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
            .Having(() => assessment.Fires || assessment.Inconclusive);
        Then()
            .Report(LatencyDescriptors.HighP95Latency, () => assessment.Fires, () => assessment.ToFinding())
            .Report(EngineDescriptors.InsufficientEvidence, () => assessment.Inconclusive, () => assessment.ToInconclusiveFinding());
    }
}
