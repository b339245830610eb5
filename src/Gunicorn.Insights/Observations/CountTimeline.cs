using System.Globalization;

namespace Gunicorn.Insights.Observations;

/// <summary>
/// Counts per fixed interval from <see cref="Start"/>: how often something happened minute by minute, so rules can see
/// trends (a timeout rate rising from one load test to the next) and runs separated by idle gaps.
/// </summary>
public sealed class CountTimeline
{
    /// <summary>Creates a timeline of <paramref name="counts"/>, one per <paramref name="interval"/> from <paramref name="start"/>.</summary>
    public CountTimeline(DateTimeOffset start, TimeSpan interval, IReadOnlyList<long> counts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(counts);
        Start = start;
        Interval = interval;
        Counts = counts;
    }

    /// <summary>The start of the first interval.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>The length of each interval.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The count in each interval.</summary>
    public IReadOnlyList<long> Counts { get; }

    /// <summary>The sum of all counts.</summary>
    public long Total => Counts.Sum();

    /// <summary>The time the timeline covers.</summary>
    public TimeSpan Span => Interval * Counts.Count;

    /// <summary>The start of interval <paramref name="index"/>.</summary>
    public DateTimeOffset IntervalStart(int index) => Start + Interval * index;

    /// <summary>
    /// Splits the timeline into runs: maximal stretches of non-empty intervals separated by at least
    /// <paramref name="minimumGap"/> of empty ones (a load test, then a pause, then the next).
    /// </summary>
    public IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End, long Count)> Runs(TimeSpan minimumGap)
    {
        var runs = new List<(DateTimeOffset, DateTimeOffset, long)>();
        var gapIntervals = Math.Max(1, (int)Math.Ceiling(minimumGap / Interval));
        int? runStart = null;
        var lastBusy = -1;
        long count = 0;
        for (var i = 0; i < Counts.Count; i++)
        {
            if (Counts[i] == 0)
            {
                continue;
            }

            if (runStart is { } start && i - lastBusy - 1 >= gapIntervals)
            {
                runs.Add((IntervalStart(start), IntervalStart(lastBusy + 1), count));
                runStart = null;
                count = 0;
            }

            runStart ??= i;
            lastBusy = i;
            count += Counts[i];
        }

        if (runStart is { } last)
        {
            runs.Add((IntervalStart(last), IntervalStart(lastBusy + 1), count));
        }

        return runs;
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Total} over {Counts.Count} × {Interval.TotalSeconds:0.###} s from {Start:yyyy-MM-dd HH:mm:ss zzz}");
}
