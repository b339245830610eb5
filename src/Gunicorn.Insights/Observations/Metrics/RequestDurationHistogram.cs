using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

namespace Gunicorn.Insights.Observations.Metrics;

/// <summary>
/// A request-duration histogram with cumulative buckets: Gunicorn's StatsD timer <c>gunicorn.request.duration</c>
/// (milliseconds, once aggregated into buckets) or a Prometheus <c>http_request_duration_seconds</c> family.
/// Percentiles follow Prometheus' <c>histogram_quantile()</c> exactly (see <see cref="HistogramQuantile"/>).
/// </summary>
/// <remarks>
/// Record equality compares <see cref="Buckets"/> and <see cref="Labels"/> by reference, so two histograms are equal
/// only when one is a <see langword="with"/> copy of the other (or they share those instances). That is intended:
/// facts are compared by identity, not by content.
/// </remarks>
public sealed record RequestDurationHistogram : Observation
{
    private readonly IReadOnlyDictionary<string, string> _labels = ReadOnlyDictionary<string, string>.Empty;

    // Shared by copies made with "with": they keep the same buckets.
    private readonly NormalizedBuckets _normalized = new();

    /// <summary>Creates a histogram from cumulative buckets.</summary>
    /// <param name="metricName">The metric name, e.g. <c>http_request_duration_seconds</c>.</param>
    /// <param name="buckets">The cumulative buckets in any order; copied and sorted by upper bound.</param>
    /// <param name="bucketUnit">
    /// What one unit of an upper bound is: one second for Prometheus <c>_seconds</c> histograms, one millisecond
    /// for StatsD timers.
    /// </param>
    /// <param name="source">Where the histogram was read.</param>
    /// <exception cref="ArgumentException">A name is blank, or an upper bound is NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bucketUnit"/> is not positive.</exception>
    public RequestDurationHistogram(string metricName, IReadOnlyList<HistogramBucket> buckets, TimeSpan bucketUnit,
        SourceLocation source)
        : base(source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metricName);
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bucketUnit, TimeSpan.Zero);

        // OrderBy is stable, so buckets with equal bounds keep the order they were given in.
        var sorted = buckets.OrderBy(b => b.UpperBound).ToArray();
        if (sorted.Any(b => double.IsNaN(b.UpperBound)))
        {
            throw new ArgumentException("A bucket upper bound is NaN.", nameof(buckets));
        }

        MetricName = metricName;
        Buckets = Array.AsReadOnly(sorted);
        BucketUnit = bucketUnit;
        Count = TotalOf(sorted);
    }

    /// <summary>The metric name as read, e.g. <c>http_request_duration_seconds</c> or <c>gunicorn.request.duration</c>.</summary>
    public string MetricName { get; }

    /// <summary>The buckets as given, sorted by upper bound (stable for equal bounds).</summary>
    public IReadOnlyList<HistogramBucket> Buckets { get; }

    /// <summary>The duration one unit of an upper bound stands for.</summary>
    public TimeSpan BucketUnit { get; }

    /// <summary>The series' labels other than <c>le</c> (e.g. <c>job</c>, <c>instance</c>); empty by default.</summary>
    public IReadOnlyDictionary<string, string> Labels
    {
        get => _labels;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _labels = value;
        }
    }

    /// <summary>The sum of all observed durations (the <c>_sum</c> sample), if known.</summary>
    public TimeSpan? Sum { get; init; }

    /// <summary>The time span the counts cover (e.g. the range of an <c>increase()</c>), if known.</summary>
    public TimeSpan? Window { get; init; }

    /// <summary>
    /// The number of observations: the <c>+Inf</c> bucket's count (summed if the bound appears more than once), or the
    /// largest count when there is no <c>+Inf</c> bucket; 0 without buckets.
    /// </summary>
    public double Count { get; }

    /// <summary>Creates a histogram whose upper bounds are seconds, as in Prometheus <c>_seconds</c> histograms.</summary>
    /// <param name="metricName">The metric name.</param>
    /// <param name="buckets">(upper bound in seconds, cumulative count) pairs.</param>
    /// <param name="source">Where the histogram was read.</param>
    public static RequestDurationHistogram FromUpperBoundsInSeconds(string metricName,
        IEnumerable<(double UpperBound, double CumulativeCount)> buckets, SourceLocation source) =>
        FromPairs(metricName, buckets, TimeSpan.FromSeconds(1), source);

    /// <summary>Creates a histogram whose upper bounds are milliseconds, as for Gunicorn's StatsD timer.</summary>
    /// <param name="metricName">The metric name.</param>
    /// <param name="buckets">(upper bound in milliseconds, cumulative count) pairs.</param>
    /// <param name="source">Where the histogram was read.</param>
    public static RequestDurationHistogram FromUpperBoundsInMilliseconds(string metricName,
        IEnumerable<(double UpperBound, double CumulativeCount)> buckets, SourceLocation source) =>
        FromPairs(metricName, buckets, TimeSpan.FromMilliseconds(1), source);

    /// <summary>
    /// The <paramref name="q"/> quantile in bucket units, exactly as Prometheus' <c>histogram_quantile</c> computes it.
    /// </summary>
    /// <param name="q">The quantile, 0 to 1.</param>
    /// <returns>The value; NaN without observations or a <c>+Inf</c> bucket, −∞/+∞ for q below 0/above 1.</returns>
    public double QuantileValue(double q) => HistogramQuantile.ComputeNormalized(q, _normalized.Of(Buckets));

    /// <summary>The <paramref name="q"/> quantile as a duration, e.g. <c>Percentile(0.95)</c> for P95.</summary>
    /// <param name="q">The quantile, 0 to 1.</param>
    /// <returns>
    /// <see cref="QuantileValue"/> × <see cref="BucketUnit"/>, rounded to the nearest tick; <see langword="null"/>
    /// when the value is not finite or does not fit a <see cref="TimeSpan"/>. When the quantile falls into the
    /// <c>+Inf</c> bucket this is the highest finite bound, a lower limit of the true value.
    /// </returns>
    public TimeSpan? Percentile(double q)
    {
        var value = QuantileValue(q);
        if (!double.IsFinite(value))
        {
            return null;
        }

        // Multiply in ticks and round once, so 0.12 s is exactly 1,200,000 ticks rather than one tick off.
        var ticks = Math.Round(value * BucketUnit.Ticks);
        const double TwoToThe63 = 9223372036854775808.0;
        return ticks >= TwoToThe63 || ticks < -TwoToThe63 ? null : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// Estimates the share (0 to 1) of observations slower than <paramref name="threshold"/>, with the model
    /// <c>histogram_quantile</c> uses, so that <c>FractionAbove(Percentile(q))</c> is about <c>1 − q</c>.
    /// </summary>
    /// <remarks>
    /// After the same sorting, merging of equal bounds and monotonicity fixes as <see cref="QuantileValue"/>:
    /// observations are spread evenly inside each bucket, the lowest bucket starting at 0 (a lowest bucket with a
    /// bound ≤ 0 has its observations on the bound); inside the bucket that contains the threshold the count at or
    /// below it is interpolated linearly. A threshold equal to a bound counts that bucket as not slower.
    /// Observations in the <c>+Inf</c> bucket are only known to exceed the highest finite bound, so they count as
    /// slower than any threshold: beyond that bound the result is an upper estimate.
    /// </remarks>
    /// <param name="threshold">The duration to compare with.</param>
    /// <returns>The share; NaN when there are no observations or no <c>+Inf</c> bucket (the total is unknown).</returns>
    public double FractionAbove(TimeSpan threshold) =>
        HistogramQuantile.FractionAboveNormalized(threshold.Ticks / (double)BucketUnit.Ticks, _normalized.Of(Buckets));

    /// <summary>
    /// Describes the histogram, e.g.
    /// <c>http_request_duration_seconds: 1200 requests, P50 0.12 s, P95 1.9 s, P99 4.1 s</c>; a percentile that
    /// lies in the <c>+Inf</c> bucket is shown as <c>&gt; 10 s</c>.
    /// </summary>
    public override string Describe()
    {
        var text = new StringBuilder(MetricName);
        if (Labels.Count > 0)
        {
            text.Append('{')
                .AppendJoin(",", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\""))
                .Append('}');
        }

        text.Append(CultureInfo.InvariantCulture, $": {Count:0.###} requests");
        if (Window is { } window)
        {
            text.Append(CultureInfo.InvariantCulture, $" in {FormatSeconds(window)} s");
        }

        if (Count > 0)
        {
            foreach (var (label, q) in new[] { ("P50", 0.5), ("P95", 0.95), ("P99", 0.99) })
            {
                text.Append(CultureInfo.InvariantCulture, $", {label} {FormatPercentile(q)}");
            }
        }

        return text.ToString();
    }

    private static RequestDurationHistogram FromPairs(string metricName,
        IEnumerable<(double UpperBound, double CumulativeCount)> buckets, TimeSpan unit, SourceLocation source)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        return new(metricName, buckets.Select(b => new HistogramBucket(b.UpperBound, b.CumulativeCount)).ToArray(),
            unit, source);
    }

    private static double TotalOf(HistogramBucket[] sorted)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        if (!double.IsPositiveInfinity(sorted[^1].UpperBound))
        {
            return sorted.Max(b => b.CumulativeCount);
        }

        // Sorted, so every +Inf bucket is at the end; duplicates add up as histogram_quantile merges them.
        return sorted.Where(b => double.IsPositiveInfinity(b.UpperBound)).Sum(b => b.CumulativeCount);
    }

    private string FormatPercentile(double q)
    {
        if (Percentile(q) is not { } value)
        {
            return "n/a";
        }

        // Prometheus reports the highest finite bound when the rank is in the +Inf bucket; the truth is above it.
        var highestFinite = Buckets.LastOrDefault(b => double.IsFinite(b.UpperBound));
        var beyond = Buckets.Count > 0 && double.IsFinite(highestFinite.UpperBound)
            && HistogramQuantile.FractionAboveNormalized(highestFinite.UpperBound, _normalized.Of(Buckets)) > 1 - q;
        return string.Create(CultureInfo.InvariantCulture, $"{(beyond ? "> " : "")}{FormatSeconds(value)} s");
    }

    /// <summary>Seconds with about three significant digits, never in exponent notation.</summary>
    private static string FormatSeconds(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds;
        var magnitude = Math.Abs(seconds);
        return magnitude >= 100 ? seconds.ToString("0", CultureInfo.InvariantCulture)
            : magnitude >= 1e-4 || magnitude == 0 ? seconds.ToString("G3", CultureInfo.InvariantCulture)
            : seconds.ToString("0.#######", CultureInfo.InvariantCulture);
    }
}
