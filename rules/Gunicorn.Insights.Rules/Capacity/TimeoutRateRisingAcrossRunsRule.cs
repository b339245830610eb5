using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// GI2006: "Request timeout rate increases with each load test" — the WORKER TIMEOUT lines, split into runs separated
/// by quiet gaps (of traffic when an access-log timeline exists, else of timeouts) and normalised by each run's
/// requests where known, show a rate that rises from run to run.
/// </summary>
public sealed class TimeoutRateRisingAcrossRunsRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerTimeouts timeouts = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<TrafficSummary> traffic = null!;
        TimeoutRuns runs = null!;

        When()
            .Match(() => timeouts)
            .Match(() => parameters)
            .Collect(() => traffic, (TrafficSummary t) => t.Instance == timeouts.Instance, t => t.Path == null && t.Timeline != null)
            .Let(() => runs, () => TimeoutRuns.Of(timeouts, traffic, parameters))
            .Having(() => runs.Trend == RunTrend.Rising);
        Then()
            .Report(CapacityDescriptors.TimeoutRateRisingAcrossRuns, () => Finding
                .Of(runs.Runs.Count, runs.GapText, runs.RunsText, runs.Note)
                .Because(timeouts, runs.Traffic));
    }
}
