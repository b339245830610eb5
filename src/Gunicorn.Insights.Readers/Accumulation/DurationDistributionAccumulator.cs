using System.Numerics;
using System.Runtime.CompilerServices;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Metrics;

namespace Gunicorn.Insights.Readers.Accumulation;

/// <summary>
/// Collects request durations into a histogram with fixed relative error: bucket bounds grow by
/// <see cref="Growth"/> (2 %) from 1 µs to a day, so any percentile interpolated in a bucket is within 2 % of the
/// exact value, with constant memory (about 1 300 counters) however many requests there are.
/// </summary>
public sealed class DurationDistributionAccumulator
{
    /// <summary>The ratio between consecutive bucket bounds: the percentile error bound is <c>Growth − 1</c>.</summary>
    public const double Growth = 1.02;

    private const double SmallestBound = 1e-6;
    private static readonly double LogGrowth = Math.Log(Growth);
    private static readonly int BucketCount = (int)Math.Ceiling(Math.Log(86_400 / SmallestBound) / LogGrowth) + 1;

    /// <summary>Durations up to a day are looked up by their ticks; longer ones take the logarithm.</summary>
    private static readonly long TableTicks = TimeSpan.TicksPerDay;

    /// <summary>
    /// Per bucket, the fewest ticks that fall in it by <see cref="IndexOf(double)"/>: durations arrive in whole ticks, so
    /// comparing ticks with these bounds finds exactly the bucket the logarithm would, without taking one per sample.
    /// </summary>
    private static readonly long[] FirstTicks = BucketStarts();

    /// <summary>Per (bit length, next four bits) of a tick count, the bucket of the smallest tick count with them.</summary>
    private static readonly int[] CellStarts = CellBuckets();

    private readonly long[] _counts = new long[BucketCount + 1];
    private double _sumSeconds;

    // Only the span is reported; a per-minute count here grew with the log's time span for every path.
    private DateTimeOffset? _first;
    private DateTimeOffset? _last;
    private long _lastAddedUtcTicks = -1;

    /// <summary>How many durations were added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one request's duration, and its time when known.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(TimeSpan duration, DateTimeOffset? at = null)
    {
        var seconds = Math.Max(0, duration.TotalSeconds);
        _counts[IndexOf(duration.Ticks, seconds)]++;
        _sumSeconds += seconds;
        Count++;
        // Consecutive requests mostly share their time, which then changes neither end of the span.
        if (at is { } time && time.UtcTicks != _lastAddedUtcTicks)
        {
            _lastAddedUtcTicks = time.UtcTicks;
            if (_first is null || time < _first)
            {
                _first = time;
            }

            if (_last is null || time > _last)
            {
                _last = time;
            }
        }
    }

    /// <summary>
    /// The histogram in seconds, as Prometheus would hold it: for every non-empty bucket its lower and upper bound
    /// (so interpolation stays inside the 2 % bucket), then <c>+Inf</c>. Null when nothing was added.
    /// </summary>
    public RequestDurationHistogram? ToHistogram(string metricName, SourceLocation source, IReadOnlyDictionary<string, string>? labels = null)
    {
        if (Count == 0)
        {
            return null;
        }

        var buckets = new List<(double, double)>();
        double cumulative = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] == 0)
            {
                continue;
            }

            var lower = i == 0 ? 0 : UpperBound(i - 1);
            if (buckets.Count == 0 || buckets[^1].Item1 < lower)
            {
                buckets.Add((lower, cumulative));
            }

            cumulative += _counts[i];
            buckets.Add((UpperBound(i), cumulative));
        }

        buckets.Add((double.PositiveInfinity, cumulative));
        return RequestDurationHistogram.FromUpperBoundsInSeconds(metricName, buckets, source) with
        {
            Labels = labels ?? new Dictionary<string, string>(),
            Sum = TimeSpan.FromSeconds(_sumSeconds),
            Timestamp = _first,
            Window = _first is { } first && _last is { } last ? last - first : null,
        };
    }

    /// <summary>The bucket of a duration of <paramref name="ticks"/> (whose seconds are <paramref name="seconds"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int IndexOf(long ticks, double seconds)
    {
        if (ticks <= 0 || ticks > TableTicks)
        {
            return IndexOf(seconds);
        }

        var index = CellStarts[Cell(ticks)];
        while (index + 1 < FirstTicks.Length && FirstTicks[index + 1] <= ticks)
        {
            index++;
        }

        return index;
    }

    private static int Cell(long ticks)
    {
        var bits = 63 - BitOperations.LeadingZeroCount((ulong)ticks);
        var next = bits >= 4 ? (int)((ticks >> (bits - 4)) & 0xF) : (int)((ticks << (4 - bits)) & 0xF);
        return bits * 16 + next;
    }

    private static long[] BucketStarts()
    {
        var last = IndexOf(TimeSpan.FromTicks(TableTicks).TotalSeconds);
        var starts = new long[last + 1];
        for (var i = 1; i <= last; i++)
        {
            // The smallest tick count whose bucket is at least i (buckets grow with the duration).
            long low = starts[i - 1], high = TableTicks;
            while (low < high)
            {
                var middle = low + (high - low) / 2;
                if (IndexOf(TimeSpan.FromTicks(middle).TotalSeconds) >= i)
                {
                    high = middle;
                }
                else
                {
                    low = middle + 1;
                }
            }

            starts[i] = low;
        }

        return starts;
    }

    private static int[] CellBuckets()
    {
        var cells = new int[64 * 16];
        for (var bits = 0; bits < 63; bits++)
        {
            for (var next = 0; next < 16; next++)
            {
                // The smallest tick count of the cell: the leading bit, then the next four bits (fewer when it is short).
                var smallest = bits >= 4 ? ((16L + next) << (bits - 4)) : (16L + next) >> (4 - bits);
                if (smallest > TableTicks || Cell(smallest) != bits * 16 + next)
                {
                    continue;
                }

                var index = 0;
                while (index + 1 < FirstTicks.Length && FirstTicks[index + 1] <= smallest)
                {
                    index++;
                }

                cells[bits * 16 + next] = index;
            }
        }

        return cells;
    }

    private static int IndexOf(double seconds) =>
        seconds <= SmallestBound ? 0 : Math.Min(BucketCount, (int)Math.Ceiling(Math.Log(seconds / SmallestBound) / LogGrowth));

    private static double UpperBound(int index) => SmallestBound * Math.Pow(Growth, index);
}
