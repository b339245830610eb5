using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Readers.Accumulation;

namespace Gunicorn.Insights.Readers.AccessLogs;

/// <summary>
/// The requests of one path (or of all, or of the folded "(other)" paths) with bounded memory: count, statuses, first
/// and last time, a timeline and a duration distribution. A path seen only a few times keeps its samples exactly, so
/// folding it into "(other)" loses nothing; a busier one keeps accumulators, folded by re-adding their per-interval
/// counts and bucket midpoints (the fold keeps each duration in its 2 % bucket).
/// </summary>
internal sealed class TrafficStatistics
{
    /// <summary>How many (time, duration) samples a path keeps exactly before switching to accumulators.</summary>
    private const int ExactSamples = 32;

    private readonly Dictionary<int, long> _statuses = [];
    private readonly TimelineBudget? _budget;
    private List<(DateTimeOffset? Time, TimeSpan? Duration)>? _exact;
    private TimelineAccumulator? _timeline;
    private DurationDistributionAccumulator? _durations;
    private double _durationSeconds;
    private long _durationCount;
    private long _lastMinute = long.MinValue;

    // Consecutive requests mostly share their status: counted here, they reach the dictionary when it changes.
    private int _pendingStatus;
    private long _pendingStatusCount;

    // The time last widened into First and Last: consecutive requests mostly share it.
    private long _widenedUtcTicks = -1;

    /// <summary>Creates the statistics; <paramref name="budget"/> limits per-path timelines (null: unlimited, for the overall one).</summary>
    public TrafficStatistics(string? path, TimelineBudget? budget, bool compact)
    {
        Path = path;
        _budget = budget;
        _exact = compact ? [] : null;
    }

    /// <summary>The path, or null for all requests.</summary>
    public string? Path { get; }

    /// <summary>The number of requests.</summary>
    public long Requests { get; private set; }

    /// <summary>The line of the first request.</summary>
    public long FirstLine { get; private set; } = long.MaxValue;

    /// <summary>When the path was last seen, as a running request number (for eviction of the least recently used).</summary>
    public long LastTouch { get; set; }

    /// <summary>True for a health-check path, which is never folded into "(other)".</summary>
    public bool Pinned { get; init; }

    /// <summary>The earliest request time.</summary>
    public DateTimeOffset? First { get; private set; }

    /// <summary>The latest request time.</summary>
    public DateTimeOffset? Last { get; private set; }

    /// <summary>True when this path's timeline was dropped to bound memory.</summary>
    public bool TimelineDropped { get; private set; }

    /// <summary>Counts one request.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(long line, DateTimeOffset? time, int? status, TimeSpan? duration)
    {
        Requests++;
        FirstLine = Math.Min(FirstLine, line);
        if (status is { } code)
        {
            if (code != _pendingStatus || _pendingStatusCount == 0)
            {
                FlushStatus();
                _pendingStatus = code;
            }

            _pendingStatusCount++;
        }

        if (time is { } t && t.UtcTicks != _widenedUtcTicks)
        {
            _widenedUtcTicks = t.UtcTicks;
            Widen(time, time);
        }

        if (duration is { } d)
        {
            _durationSeconds += Math.Max(0, d.TotalSeconds);
            _durationCount++;
        }

        AddSample(time, duration);
    }

    private void FlushStatus()
    {
        if (_pendingStatusCount > 0)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_statuses, _pendingStatus, out _) += _pendingStatusCount;
            _pendingStatusCount = 0;
        }
    }

    /// <summary>Stops keeping a timeline (memory budget spent).</summary>
    public void DropTimeline()
    {
        TimelineDropped = true;
        _timeline = null;
    }

    /// <summary>Adds everything counted here to <paramref name="target"/>.</summary>
    public void FoldInto(TrafficStatistics target)
    {
        target.Requests += Requests;
        target.FirstLine = Math.Min(target.FirstLine, FirstLine);
        FlushStatus();
        foreach (var (code, count) in _statuses)
        {
            target._statuses[code] = target._statuses.GetValueOrDefault(code) + count;
        }

        target.Widen(First, Last);
        target._durationSeconds += _durationSeconds;
        target._durationCount += _durationCount;
        if (TimelineDropped)
        {
            target.DropTimeline();
        }

        if (_exact is not null)
        {
            foreach (var (time, duration) in _exact)
            {
                target.AddSample(time, duration);
            }

            return;
        }

        if (_timeline?.ToTimeline() is { } timeline)
        {
            for (var i = 0; i < timeline.Counts.Count; i++)
            {
                for (var n = 0L; n < timeline.Counts[i]; n++)
                {
                    target.AddSample(timeline.IntervalStart(i), null);
                }
            }
        }

        if (_durations?.ToHistogram("fold", new SourceLocation("fold")) is { } histogram)
        {
            double lower = 0, previous = 0;
            foreach (var bucket in histogram.Buckets)
            {
                var count = (long)Math.Round(bucket.CumulativeCount - previous);
                // The geometric middle of (lower, upper] falls in the same accumulator bucket.
                var middle = double.IsPositiveInfinity(bucket.UpperBound) ? lower * 1.5
                    : lower <= 0 ? bucket.UpperBound / 1.01 : Math.Sqrt(lower * bucket.UpperBound);
                for (var n = 0L; n < count; n++)
                {
                    target.AddSample(null, TimeSpan.FromSeconds(middle));
                }

                previous = bucket.CumulativeCount;
                lower = bucket.UpperBound;
            }
        }
    }

    /// <summary>The summary of these requests.</summary>
    public TrafficSummary ToSummary(SourceLocation source)
    {
        FlushStatus();
        return new(Requests, _statuses.OrderBy(s => s.Key).ToDictionary(s => s.Key, s => s.Value), source)
        {
            Path = Path,
            Logger = "gunicorn",
            FirstSeen = First,
            LastSeen = Last,
            Timestamp = First,
            Timeline = TimelineDropped ? null : Timeline(),
        };
    }

    /// <summary>The duration histogram of these requests, or null when none had a duration.</summary>
    public RequestDurationHistogram? ToHistogram(string metricName, SourceLocation source, IReadOnlyDictionary<string, string>? labels)
    {
        if (_durationCount == 0)
        {
            return null;
        }

        var durations = _durations;
        if (_exact is not null)
        {
            durations = new DurationDistributionAccumulator();
            foreach (var (time, duration) in _exact)
            {
                if (duration is { } d)
                {
                    durations.Add(d, time);
                }
            }
        }

        return durations?.ToHistogram(metricName, source, labels) is { } histogram
            ? histogram with
            {
                Sum = TimeSpan.FromSeconds(_durationSeconds),
                Timestamp = First,
                Window = First is { } first && Last is { } last ? last - first : null,
            }
            : null;
    }

    private CountTimeline? Timeline()
    {
        if (_exact is null)
        {
            return _timeline?.ToTimeline();
        }

        var timeline = new TimelineAccumulator();
        foreach (var (time, _) in _exact)
        {
            if (time is { } t)
            {
                timeline.Add(t);
            }
        }

        return timeline.ToTimeline();
    }

    private void Widen(DateTimeOffset? first, DateTimeOffset? last)
    {
        if (first is { } f && (First is null || f < First))
        {
            First = f;
        }

        if (last is { } l && (Last is null || l > Last))
        {
            Last = l;
        }
    }

    /// <summary>Adds a time and a duration to the timeline and distribution only (the counts were added already).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddSample(DateTimeOffset? time, TimeSpan? duration)
    {
        if (_exact is not null)
        {
            if (_exact.Count < ExactSamples)
            {
                _exact.Add((time, duration));
                return;
            }

            var exact = _exact;
            _exact = null;
            foreach (var (t, d) in exact)
            {
                AddTime(t);
                AddDuration(d, t);
            }
        }

        AddTime(time);
        AddDuration(duration, time);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddTime(DateTimeOffset? time)
    {
        if (time is not { } t || TimelineDropped)
        {
            return;
        }

        if (_budget is { Spent: true })
        {
            DropTimeline();
            return;
        }

        if (_budget is not null)
        {
            var minute = t.ToUnixTimeSeconds() / 60;
            if (minute != _lastMinute)
            {
                _lastMinute = minute;
                _budget.Cells++;
            }
        }

        (_timeline ??= new TimelineAccumulator()).Add(t);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddDuration(TimeSpan? duration, DateTimeOffset? time)
    {
        if (duration is { } d)
        {
            (_durations ??= new DurationDistributionAccumulator()).Add(d, time);
        }
    }
}
