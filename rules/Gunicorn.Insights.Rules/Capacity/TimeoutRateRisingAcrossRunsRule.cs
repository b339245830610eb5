using System.Globalization;
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
/// It reports GI0003 instead when the evidence hints at the problem but is too thin to show it.
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
            .Having(() => (runs.Trend == RunTrend.Rising) || (runs.Trend == RunTrend.SingleRun || runs.Trend == RunTrend.UnclearRise));
        Then()
            .Report(CapacityDescriptors.TimeoutRateRisingAcrossRuns, () => runs.Trend == RunTrend.Rising, () => Finding
                .Of(runs.Runs.Count, runs.GapText, runs.RunsText, runs.Note)
                .Because(timeouts, runs.Traffic))
            .Report(EngineDescriptors.InsufficientEvidence, () => runs.Trend == RunTrend.SingleRun || runs.Trend == RunTrend.UnclearRise, () => Finding
                .Of(CapacityFacts.Name(CapacityDescriptors.TimeoutRateRisingAcrossRuns), Saw(runs), Supply(runs, parameters))
                .Because(timeouts, runs.Traffic));
    }

    private static string Saw(TimeoutRuns runs) => runs.Trend == RunTrend.SingleRun
        ? string.Create(CultureInfo.InvariantCulture,
            $"all {runs.Runs[0].Timeouts} WORKER TIMEOUT line(s) fall into one run, from {runs.Runs[0].Start:HH:mm} to {runs.Runs[0].End:HH:mm}, with no quiet gap of {runs.GapLength} or more")
        : $"two runs show a rise too small to call a trend: {runs.RunsText}";

    private static string Supply(TimeoutRuns runs, RuleParameters parameters) => runs.Trend == RunTrend.SingleRun
        ? "repeat the load test at least twice more with a quiet pause between runs, and keep the error log (and the access log, for request volume) of every run"
        : string.Create(CultureInfo.InvariantCulture,
            $"a third run would show whether the rate keeps rising (two runs need a rise of {parameters.Number(CapacityDescriptors.TimeoutRateRisingAcrossRuns, "two-run-rise-factor")}×)");
}
