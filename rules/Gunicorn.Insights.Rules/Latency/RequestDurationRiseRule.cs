using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// GI3002: the P50 or P95 of a request-duration series in its latest window is <c>factor</c> times (and
/// <c>min-increase</c> above) its earliest window's, so "Elevated request duration indicates performance degradation".
/// A series seen in one window only has no baseline and is left alone.
/// It reports GI0003 instead when the evidence hints at the problem but is too thin to show it.
/// </summary>
public sealed class RequestDurationRiseRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        RuleParameters parameters = null!;
        DurationRiseAssessment assessment = null!;

        When()
            .Match(() => configuration)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == configuration.Instance, h => h.Timestamp != null)
            .Having(() => histograms.Count > 1)
            .Match(() => parameters)
            .Let(() => assessment, () => DurationRiseAssessment.Of(histograms,
                parameters.Number(LatencyDescriptors.RequestDurationRise, "factor"),
                parameters.Duration(LatencyDescriptors.RequestDurationRise, "min-increase"),
                parameters.Integer(LatencyDescriptors.RequestDurationRise, "min-requests")))
            .Having(() => assessment.Fires || assessment.Inconclusive);
        Then()
            .Report(LatencyDescriptors.RequestDurationRise, () => assessment.Fires, () => assessment.ToFinding())
            .Report(EngineDescriptors.InsufficientEvidence, () => assessment.Inconclusive, () => assessment.ToInconclusiveFinding());
    }
}
