using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>What the runs say about the worker-timeout rate (GI2006).</summary>
internal enum RunTrend
{
    /// <summary>No times to split the timeouts into runs.</summary>
    NoTimes,

    /// <summary>All timeouts fall into one run.</summary>
    SingleRun,

    /// <summary>Two runs with a rise too small to call.</summary>
    UnclearRise,

    /// <summary>The rate rises from run to run.</summary>
    Rising,

    /// <summary>The rate does not rise from run to run.</summary>
    NotRising,
}

/// <summary>One run: a stretch of traffic (or of timeouts) between quiet gaps.</summary>
/// <param name="Start">When the run started.</param>
/// <param name="End">When it ended.</param>
/// <param name="Timeouts">The WORKER TIMEOUT lines in it.</param>
/// <param name="Requests">The requests in it, when an access-log timeline gives them.</param>
internal sealed record TimeoutRun(DateTimeOffset Start, DateTimeOffset End, long Timeouts, long? Requests)
{
    /// <summary>Timeouts per 1,000 requests, or the bare count without request volumes.</summary>
    public double Rate => Requests is { } requests && requests > 0 ? Timeouts * 1000.0 / requests : Timeouts;

    /// <summary>The run as a message shows it.</summary>
    public override string ToString() => Requests is { } requests
        ? string.Create(CultureInfo.InvariantCulture,
            $"{Timeouts} in {requests} requests ({CapacityFacts.Requests(Math.Round(Rate, 2))} per 1000) from {Start:HH:mm}")
        : string.Create(CultureInfo.InvariantCulture, $"{Timeouts} from {Start:HH:mm}");
}

/// <summary>The worker timeouts of an instance split into runs, normalised by request volume when an access-log timeline exists.</summary>
internal sealed class TimeoutRuns
{
    private const int MaximumSlots = 100_000;

    private TimeoutRuns(RunTrend trend, IReadOnlyList<TimeoutRun> runs, TrafficSummary? traffic, TimeSpan gap)
    {
        Trend = trend;
        Runs = runs;
        Traffic = traffic;
        Gap = gap;
    }

    /// <summary>The verdict.</summary>
    public RunTrend Trend { get; }

    /// <summary>The runs, in time order.</summary>
    public IReadOnlyList<TimeoutRun> Runs { get; }

    /// <summary>The access-log summary whose timeline gave the runs and request volumes, if any.</summary>
    public TrafficSummary? Traffic { get; }

    /// <summary>The quiet time that separates runs.</summary>
    public TimeSpan Gap { get; }

    /// <summary>What separates the runs, for the message.</summary>
    public string GapText => $"{GapLength} without {(Traffic is null ? "timeouts" : "requests")}";

    /// <summary>The gap's length, for the message.</summary>
    public string GapLength => CapacityFacts.Span(Gap);

    /// <summary>The runs joined with arrows, for the message.</summary>
    public string RunsText => string.Join(" → ", Runs);

    /// <summary>A note when the rates are bare counts.</summary>
    public string Note => Traffic is null
        ? " (timeouts per run, not normalised by request volume: no access-log timeline was supplied)"
        : "";

    /// <summary>Splits and judges the timeouts with GI2006's parameters.</summary>
    public static TimeoutRuns Of(WorkerTimeouts timeouts, IReadOnlyList<TrafficSummary> traffic, RuleParameters parameters)
    {
        var descriptor = CapacityDescriptors.TimeoutRateRisingAcrossRuns;
        var gap = parameters.Duration(descriptor, "run-gap");
        var points = Points(timeouts);
        if (points.Count == 0)
        {
            return new TimeoutRuns(RunTrend.NoTimes, [], null, gap);
        }

        var volume = traffic.Where(t => t.Timeline is not null && t.Timeline.Total > 0).OrderByDescending(t => t.Requests).FirstOrDefault();
        IReadOnlyList<TimeoutRun> runs;
        if (volume is not null)
        {
            var spans = volume.Timeline!.Runs(gap);
            var counts = new long[spans.Count];
            foreach (var (time, count) in points)
            {
                var index = spans.Count - 1;
                while (index > 0 && spans[index].Start > time)
                {
                    index--;
                }

                counts[index] += count;
            }

            runs = [.. spans.Select((s, i) => new TimeoutRun(s.Start, s.End, counts[i], s.Count))];
        }
        else
        {
            var start = points.Min(p => p.Time);
            var interval = timeouts.Signatures.Select(s => s.Timeline?.Interval).FirstOrDefault(i => i is not null) ?? TimeSpan.FromMinutes(1);

            // Keep the timeline small when the log spans a long time: never more than MaximumSlots intervals.
            var span = points.Max(p => p.Time) - start;
            if (span / interval > MaximumSlots)
            {
                interval = span / MaximumSlots;
            }

            var slots = new long[(int)((points.Max(p => p.Time) - start) / interval) + 1];
            foreach (var (time, count) in points)
            {
                slots[(int)((time - start) / interval)] += count;
            }

            runs = [.. new CountTimeline(start, interval, slots).Runs(gap).Select(s => new TimeoutRun(s.Start, s.End, s.Count, null))];
        }

        return new TimeoutRuns(Judge(runs, parameters), runs, volume, gap);
    }

    private static RunTrend Judge(IReadOnlyList<TimeoutRun> runs, RuleParameters parameters)
    {
        var descriptor = CapacityDescriptors.TimeoutRateRisingAcrossRuns;
        if (runs.Count < 2)
        {
            return runs.Count == 1 ? RunTrend.SingleRun : RunTrend.NoTimes;
        }

        var first = runs[0].Rate;
        var last = runs[^1].Rate;
        var enough = runs[^1].Timeouts >= parameters.Integer(descriptor, "min-timeouts");
        if (runs.Count == 2)
        {
            return last <= first ? RunTrend.NotRising
                : enough && last >= first * parameters.Number(descriptor, "two-run-rise-factor") ? RunTrend.Rising
                : RunTrend.UnclearRise;
        }

        var neverFalls = runs.Zip(runs.Skip(1)).All(pair => pair.Second.Rate >= pair.First.Rate);
        return neverFalls && enough && last > first && last >= first * parameters.Number(descriptor, "rise-factor")
            ? RunTrend.Rising
            : RunTrend.NotRising;
    }

    /// <summary>The timeouts as (time, count): individual events when they carry times, else the signatures' timelines.</summary>
    private static List<(DateTimeOffset Time, long Count)> Points(WorkerTimeouts timeouts)
    {
        var events = timeouts.Events.Where(e => e.Timestamp is not null).Select(e => (e.Timestamp!.Value, 1L)).ToList();
        if (events.Count > 0)
        {
            return events;
        }

        return [.. timeouts.Signatures.Where(s => s.Timeline is not null)
            .SelectMany(s => s.Timeline!.Counts.Select((count, i) => (Time: s.Timeline.IntervalStart(i), Count: count)))
            .Where(p => p.Count > 0)];
    }
}
