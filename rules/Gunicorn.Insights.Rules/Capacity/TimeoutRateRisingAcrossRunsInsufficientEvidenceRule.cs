using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// GI0003 for GI2006: the timed WORKER TIMEOUT lines form a single run, or two runs whose rise is too small to call
/// a trend.
/// </summary>
public sealed class TimeoutRateRisingAcrossRunsInsufficientEvidenceRule : Rule
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
            .Having(() => runs.Trend == RunTrend.SingleRun || runs.Trend == RunTrend.UnclearRise);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
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
