using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>
/// GI1004: "Gunicorn worker timeout causes 20-30 second page delays" — WORKER TIMEOUT lines while a share of the
/// recorded requests (at least <c>min-share</c> of at least <c>min-requests</c>) took longer than the start of the band
/// just under the timeout (<c>near-timeout-ratio</c> of it): pages wait most or all of the timeout, then fail.
/// It reports GI0003 instead when the evidence hints at the problem but is too thin to show it.
/// </summary>
public sealed class TimeoutPageDelayRule : Rule
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
            .Let(() => durations, () => Assess(histograms, timeouts, parameters))
            .Having(() => (durations.Verdict == NearTimeoutVerdict.Clustered) || (durations.Verdict == NearTimeoutVerdict.Insufficient));
        Then()
            .Report(WorkerLifecycleDescriptors.TimeoutPageDelay, () => durations.Verdict == NearTimeoutVerdict.Clustered, () => Finding
                .Of(durations.Slow, durations.Requests, durations.PathClause, durations.Share, durations.BandStart, timeouts.Timeout,
                    durations.P99, timeouts.Count)
                .Because(durations.Histogram, timeouts))
            .Report(EngineDescriptors.InsufficientEvidence, () => durations.Verdict == NearTimeoutVerdict.Insufficient, () => Finding
                .Of(WorkerLifecycleDescriptors.Undecided(WorkerLifecycleDescriptors.TimeoutPageDelay),
                    durations.Seen + ", while " + timeouts.Describe(), durations.Needed)
                .Because(durations.Histogram, timeouts));
    }

    /// <summary>Reads the histograms against the timeout with the rule's parameters.</summary>
    internal static NearTimeoutDurations Assess(IReadOnlyList<RequestDurationHistogram> histograms, WorkerTimeouts timeouts,
        RuleParameters parameters)
    {
        var descriptor = WorkerLifecycleDescriptors.TimeoutPageDelay;
        return NearTimeoutDurations.Assess(histograms, timeouts.Timeout, parameters.Number(descriptor, "near-timeout-ratio"),
            parameters.Number(descriptor, "min-share"), parameters.Integer(descriptor, "min-requests"));
    }
}
