using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// GI0003 for GI3002: a request-duration series rose against its baseline, but one of the two windows holds fewer than
/// <c>min-requests</c> requests, too few to tell a degradation from noise.
/// </summary>
public sealed class InconclusiveRequestDurationRiseRule : Rule
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
            .Having(() => assessment.Inconclusive);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => assessment.ToInconclusiveFinding());
    }
}
