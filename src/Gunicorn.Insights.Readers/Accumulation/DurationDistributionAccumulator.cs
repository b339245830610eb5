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

    private readonly long[] _counts = new long[BucketCount + 1];
    private double _sumSeconds;

    // Only the span is reported; a per-minute count here grew with the log's time span for every path.
    private DateTimeOffset? _first;
    private DateTimeOffset? _last;

    /// <summary>How many durations were added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one request's duration, and its time when known.</summary>
    public void Add(TimeSpan duration, DateTimeOffset? at = null)
    {
        var seconds = Math.Max(0, duration.TotalSeconds);
        _counts[IndexOf(seconds)]++;
        _sumSeconds += seconds;
        Count++;
        if (at is { } time)
        {
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

    private static int IndexOf(double seconds) =>
        seconds <= SmallestBound ? 0 : Math.Min(BucketCount, (int)Math.Ceiling(Math.Log(seconds / SmallestBound) / LogGrowth));

    private static double UpperBound(int index) => SmallestBound * Math.Pow(Growth, index);
}
