using System.Globalization;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Metrics;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// How the latency rules read request-duration histograms: which side measured them (the proxy or Gunicorn), which
/// window is the current one, how series of one instance add up, and how a percentile is stated without inventing a
/// value when it lies in the <c>+Inf</c> bucket.
/// </summary>
internal static class LatencyEvidence
{
    /// <summary>The label that names the request path of a per-path series.</summary>
    public const string PathLabel = "path";

    /// <summary>The bucket bounds the seed recommends for <c>http_request_duration_seconds</c>.</summary>
    public const string RecommendedBuckets = "[0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]";

    private static readonly string[] ProxyLabels = ["logger", "job", "source"];

    /// <summary>
    /// True for a histogram the reverse proxy measured (nginx <c>$request_time</c> or <c>$upstream_response_time</c>):
    /// its metric name mentions nginx or the upstream, or its <c>logger</c>, <c>job</c> or <c>source</c> label is nginx.
    /// </summary>
    public static bool IsProxySide(RequestDurationHistogram histogram) =>
        histogram.MetricName.Contains("nginx", StringComparison.OrdinalIgnoreCase)
        || histogram.MetricName.Contains("upstream", StringComparison.OrdinalIgnoreCase)
        || ProxyLabels.Any(label => histogram.Labels.TryGetValue(label, out var value) && value.Contains("nginx", StringComparison.OrdinalIgnoreCase));

    /// <summary>The path a per-path series is about, or null for a series of all requests.</summary>
    public static string? PathOf(RequestDurationHistogram histogram) =>
        histogram.Labels.TryGetValue(PathLabel, out var path) && path.Length > 0 ? path : null;

    /// <summary>
    /// The histograms of the latest window: those with the latest <c>Timestamp</c> when any has one (windows are told
    /// apart by their timestamps), otherwise all of them. Histograms without observations are left out.
    /// </summary>
    public static IReadOnlyList<RequestDurationHistogram> Latest(IEnumerable<RequestDurationHistogram> histograms)
    {
        var usable = histograms.Where(h => h.Count > 0).ToList();
        var stamped = usable.Where(h => h.Timestamp is not null).ToList();
        if (stamped.Count == 0)
        {
            return usable;
        }

        var latest = stamped.Max(h => h.Timestamp!.Value);
        return stamped.Where(h => h.Timestamp == latest).ToList();
    }

    /// <summary>
    /// The series of one metric family: when histograms of several metrics describe the same requests (a Gunicorn
    /// StatsD timer and a Django middleware histogram), the family with the most observations, so nothing is counted twice.
    /// </summary>
    public static IReadOnlyList<RequestDurationHistogram> OneFamily(IReadOnlyList<RequestDurationHistogram> histograms) =>
        histograms.Select(h => h.MetricName).Distinct(StringComparer.Ordinal).Skip(1).Any()
            ? histograms.GroupBy(h => h.MetricName, StringComparer.Ordinal).MaxBy(g => g.Sum(h => h.Count))!.ToList()
            : histograms;

    /// <summary>
    /// Adds series up into one histogram, as <c>sum by (le)</c> does: equal bounds (in seconds) add their counts. When
    /// the series have different bounds, each series' count at every bound of the union is interpolated the way
    /// <c>histogram_quantile</c> models a bucket, so the result is an estimate. A single series is returned as it is.
    /// </summary>
    public static RequestDurationHistogram Merge(IReadOnlyList<RequestDurationHistogram> histograms)
    {
        if (histograms.Count == 1)
        {
            return histograms[0];
        }

        var first = histograms[0];
        var names = histograms.Select(h => h.MetricName).Distinct(StringComparer.Ordinal).ToArray();
        var name = string.Join(", ", names);
        var inSeconds = histograms.Select(h => h.Buckets.Select(b => ToSeconds(b, h.BucketUnit)).ToArray()).ToArray();
        var boundSets = inSeconds.Select(buckets => string.Join(",", buckets.Select(b => b.UpperBound.ToString("R", CultureInfo.InvariantCulture)))).Distinct(StringComparer.Ordinal);
        HistogramBucket[] merged;
        if (boundSets.Count() == 1)
        {
            // Equal bounds: histogram_quantile merges them by adding their counts, exactly as sum by (le) would.
            merged = [.. inSeconds.SelectMany(b => b)];
        }
        else
        {
            var bounds = inSeconds.SelectMany(b => b).Select(b => b.UpperBound).Where(double.IsFinite).Distinct().Order().ToArray();
            var usable = histograms.Where(h => h.Buckets.Any(b => double.IsPositiveInfinity(b.UpperBound))).ToArray();
            merged =
            [
                .. bounds.Select(bound => new HistogramBucket(bound, usable.Sum(h => AtOrBelow(h, bound)))),
                new HistogramBucket(double.PositiveInfinity, usable.Sum(h => h.Count)),
            ];
        }

        return new RequestDurationHistogram(name, merged, TimeSpan.FromSeconds(1), first.Source)
        {
            Instance = first.Instance,
            Timestamp = first.Timestamp,
            Window = first.Window,
        };
    }

    /// <summary>
    /// The <paramref name="q"/> quantile as Prometheus computes it, marked as a lower limit when it lies in the
    /// <c>+Inf</c> bucket (then the value is the highest finite bound); null when there is nothing to compute.
    /// </summary>
    public static Quantile? Estimate(RequestDurationHistogram histogram, double q)
    {
        if (histogram.Percentile(q) is not { } value)
        {
            return null;
        }

        var above = HighestFiniteBound(histogram) is { } highest && histogram.FractionAbove(histogram.BucketUnit * highest) > 1 - q;
        return new Quantile(value, above);
    }

    // The buckets are sorted by bound, so the last finite one is the highest; found without copying them.
    private static double? HighestFiniteBound(RequestDurationHistogram histogram)
    {
        var buckets = histogram.Buckets;
        for (var i = buckets.Count - 1; i >= 0; i--)
        {
            if (double.IsFinite(buckets[i].UpperBound))
            {
                return buckets[i].UpperBound;
            }
        }

        return null;
    }

    /// <summary>The finite bucket bounds of a histogram, as durations, in order.</summary>
    public static IReadOnlyList<TimeSpan> Bounds(RequestDurationHistogram histogram) =>
        histogram.Buckets.Where(b => double.IsFinite(b.UpperBound) && b.UpperBound >= 0)
            .Select(b => TimeSpan.FromTicks((long)Math.Round(b.UpperBound * histogram.BucketUnit.Ticks)))
            .Distinct().Order().ToArray();

    /// <summary>A count of requests as a whole number (increases of counters are fractional).</summary>
    public static long Requests(double count) => (long)Math.Round(count, MidpointRounding.AwayFromZero);

    /// <summary>A duration as messages show it: <c>850 ms</c>, <c>2.5 s</c>.</summary>
    public static string Format(TimeSpan duration) => DiagnosisMessage.FormatValue(duration);

    /// <summary>A window length for people: <c>10 min</c>, <c>1 h</c>, else seconds.</summary>
    public static string FormatSpan(TimeSpan span) =>
        span >= TimeSpan.FromHours(1) && span.Ticks % TimeSpan.TicksPerHour == 0
            ? DiagnosisMessage.FormatValue((double)(span.Ticks / TimeSpan.TicksPerHour)) + " h"
            : span >= TimeSpan.FromMinutes(1) && span.Ticks % TimeSpan.TicksPerMinute == 0
                ? DiagnosisMessage.FormatValue((double)(span.Ticks / TimeSpan.TicksPerMinute)) + " min"
                : Format(span);

    /// <summary>A moment as messages show it, e.g. <c>2026-11-23 23:45 +00:00</c>.</summary>
    public static string FormatMoment(DateTimeOffset moment) => moment.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    /// <summary>The metric a set of series came from, with its window when known, e.g. <c>gunicorn_request_duration_seconds over 10 min</c>.</summary>
    public static string Describe(IReadOnlyList<RequestDurationHistogram> histograms)
    {
        var names = string.Join(", ", histograms.Select(h => h.MetricName).Distinct(StringComparer.Ordinal));
        var window = histograms.Select(h => h.Window).FirstOrDefault(w => w is not null);
        return window is { } span ? $"{names} over {FormatSpan(span)}" : names;
    }

    /// <summary>How the insufficient-evidence note names a rule: <c>GI3001 P95 latency exceeding …</c>.</summary>
    public static string Name(InsightDescriptor descriptor) => $"{descriptor.Id} {descriptor.Title}";

    private static HistogramBucket ToSeconds(HistogramBucket bucket, TimeSpan unit) =>
        double.IsFinite(bucket.UpperBound)
            ? bucket with { UpperBound = Math.Round(bucket.UpperBound * unit.TotalSeconds, 9) }
            : bucket;

    private static double AtOrBelow(RequestDurationHistogram histogram, double boundInSeconds)
    {
        var above = histogram.FractionAbove(TimeSpan.FromSeconds(boundInSeconds));
        return double.IsNaN(above) ? 0 : histogram.Count * (1 - above);
    }
}

/// <summary>A percentile estimate; when <see cref="AboveHighestBound"/> the true value is only known to exceed <see cref="Value"/>.</summary>
/// <param name="Value">The value Prometheus reports (the highest finite bound when the rank is in the <c>+Inf</c> bucket).</param>
/// <param name="AboveHighestBound">True when the percentile lies in the <c>+Inf</c> bucket.</param>
internal readonly record struct Quantile(TimeSpan Value, bool AboveHighestBound)
{
    /// <summary>True when the percentile certainly (or by Prometheus' estimate) exceeds <paramref name="limit"/>.</summary>
    public bool Exceeds(TimeSpan limit) => Value > limit || (AboveHighestBound && Value >= limit);

    /// <summary>True when the percentile lies beyond the highest bound, which is below <paramref name="limit"/>: it may or may not exceed it.</summary>
    public bool Undecided(TimeSpan limit) => AboveHighestBound && Value < limit;

    /// <summary>Formats as <c>2.6 s</c>, or <c>above 10 s</c> in the <c>+Inf</c> bucket.</summary>
    public override string ToString() => AboveHighestBound ? $"above {LatencyEvidence.Format(Value)}" : LatencyEvidence.Format(Value);
}
