using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// GI0003 for GI3008: a transaction shows a large unaccounted share of its request time, but its averages cover fewer
/// than <c>min-requests</c> requests.
/// </summary>
public sealed class InconclusiveUnaccountedRequestTimeRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<ApplicationTiming> timings = null!;
        RuleParameters parameters = null!;
        UnaccountedTimeAssessment assessment = null!;

        When()
            .Match(() => configuration)
            .Collect(() => timings, (ApplicationTiming t) => t.Instance == configuration.Instance)
            .Having(() => timings.Count > 0)
            .Match(() => parameters)
            .Let(() => assessment, () => UnaccountedTimeAssessment.Of(timings,
                parameters.Number(LatencyDescriptors.UnaccountedRequestTime, "gap-ratio"),
                parameters.Duration(LatencyDescriptors.UnaccountedRequestTime, "min-gap"),
                parameters.Integer(LatencyDescriptors.UnaccountedRequestTime, "min-requests")))
            .Having(() => assessment.Inconclusive);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => assessment.ToInconclusiveFinding());
    }
}
