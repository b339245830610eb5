using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// GI3008: an application timing (APM transaction, profiler) whose average total time is mostly outside the measured
/// CPU, database and external time, so "Large gap between Django CPU time and total request time indicates WSGI layer
/// bottleneck".
/// It reports GI0003 instead when the evidence hints at the problem but is too thin to show it.
/// </summary>
public sealed class UnaccountedRequestTimeRule : Rule
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
            .Having(() => assessment.Fires || assessment.Inconclusive);
        Then()
            .Report(LatencyDescriptors.UnaccountedRequestTime, () => assessment.Fires, () => assessment.ToFinding())
            .Report(EngineDescriptors.InsufficientEvidence, () => assessment.Inconclusive, () => assessment.ToInconclusiveFinding());
    }
}
