using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>
/// GI0003 for GI1004: workers timed out and the instance has request-duration histograms, but none has enough requests
/// (<c>min-requests</c>) or buckets fine enough around the timeout to tell whether requests cluster just under it.
/// </summary>
public sealed class TimeoutPageDelayInsufficientEvidenceRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerTimeouts timeouts = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        NearTimeoutDurations durations = null!;

        When()
            .Match(() => timeouts)
            .Match(() => parameters)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == timeouts.Instance)
            .Let(() => durations, () => TimeoutPageDelayRule.Assess(histograms, timeouts, parameters))
            .Having(() => durations.Verdict == NearTimeoutVerdict.Insufficient);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(WorkerLifecycleDescriptors.Undecided(WorkerLifecycleDescriptors.TimeoutPageDelay),
                    durations.Seen + ", while " + timeouts.Describe(), durations.Needed)
                .Because(durations.Histogram, timeouts));
    }
}
