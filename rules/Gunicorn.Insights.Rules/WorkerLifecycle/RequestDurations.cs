using System.Globalization;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Metrics;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>
/// What the request-duration histograms of one instance say about requests around the worker timeout. Histograms
/// without a <c>path</c> label cover every request; per-path histograms partition them.
/// </summary>
internal static class RequestDurations
{
    /// <summary>The label that names the request path of a per-path histogram.</summary>
    public const string PathLabel = "path";

    /// <summary>True when the histogram has observations, a finite bucket and a <c>+Inf</c> bucket, so shares of it can be computed.</summary>
    public static bool IsUsable(RequestDurationHistogram histogram) =>
        histogram.Count > 0 && HighestFiniteBound(histogram) is not null && !double.IsNaN(histogram.FractionAbove(TimeSpan.Zero));

    /// <summary>The request path of a per-path histogram, or null for one that covers every request.</summary>
    public static string? PathOf(RequestDurationHistogram histogram) =>
        histogram.Labels.TryGetValue(PathLabel, out var path) ? path : null;

    /// <summary>The highest finite bucket bound as a duration, or null when there is none.</summary>
    public static TimeSpan? HighestFiniteBound(RequestDurationHistogram histogram)
    {
        // The buckets are sorted by bound, so the last finite one is the highest; found without copying them.
        var buckets = histogram.Buckets;
        for (var i = buckets.Count - 1; i >= 0; i--)
        {
            if (double.IsFinite(buckets[i].UpperBound))
            {
                return TimeSpan.FromTicks((long)Math.Round(buckets[i].UpperBound * histogram.BucketUnit.Ticks));
            }
        }

        return null;
    }

    /// <summary>
    /// True when the histogram can tell durations at <paramref name="threshold"/> apart: a finite bucket reaches it, or
    /// the count at <paramref name="threshold"/> is known exactly anyway (see <see cref="IsExactAt"/>).
    /// </summary>
    public static bool Resolves(RequestDurationHistogram histogram, TimeSpan threshold) =>
        (HighestFiniteBound(histogram) is { } bound && bound >= threshold) || IsExactAt(histogram, threshold);

    /// <summary>
    /// True when the histogram knows exactly how many observations are at or below <paramref name="threshold"/>: it is a
    /// bucket bound, or the bucket around it holds nothing (histograms built from logs list only the buckets that hold
    /// requests, so an empty stretch between two bounds, or beyond the highest finite bound when <c>+Inf</c> adds
    /// nothing, is known to be empty rather than unknown).
    /// </summary>
    public static bool IsExactAt(RequestDurationHistogram histogram, TimeSpan threshold)
    {
        var at = threshold.Ticks / (double)histogram.BucketUnit.Ticks;
        double below = 0;
        foreach (var bucket in histogram.Buckets)
        {
            if (bucket.UpperBound == at)
            {
                return true;
            }

            if (bucket.UpperBound > at)
            {
                return bucket.CumulativeCount == below;
            }

            below = bucket.CumulativeCount;
        }

        return false;
    }

    /// <summary>How many observations are estimated slower than <paramref name="threshold"/>, rounded.</summary>
    public static long CountAbove(RequestDurationHistogram histogram, TimeSpan threshold) =>
        (long)Math.Round(histogram.FractionAbove(threshold) * histogram.Count);

    /// <summary>
    /// The histograms that stand for all requests of an instance: the largest usable one without a path label, or else
    /// every usable per-path histogram (they add up to all requests).
    /// </summary>
    public static IReadOnlyList<RequestDurationHistogram> Representative(IReadOnlyList<RequestDurationHistogram> histograms)
    {
        var usable = histograms.Where(IsUsable).ToArray();
        var overall = usable.Where(h => PathOf(h) is null).OrderByDescending(h => h.Count).FirstOrDefault();
        return overall is not null ? [overall] : usable;
    }

    /// <summary>
    /// The clause GI1001 adds about requests slower than the timeout, e.g.
    /// <c>; the request-duration histogram shows 14 of 5200 request(s) slower than the timeout</c>; empty without a usable histogram.
    /// </summary>
    public static string SlowerThanTimeoutClause(IReadOnlyList<RequestDurationHistogram> histograms, TimeSpan timeout)
    {
        var representative = Representative(histograms);
        if (representative.Count == 0 || timeout <= TimeSpan.Zero)
        {
            return "";
        }

        var total = (long)Math.Round(representative.Sum(h => h.Count));
        var slower = representative.Sum(h => CountAbove(h, timeout));
        var coarse = representative.Where(h => !Resolves(h, timeout)).Select(HighestFiniteBound).OfType<TimeSpan>().ToArray();
        var source = representative.Count == 1
            ? "the request-duration histogram shows"
            : string.Create(CultureInfo.InvariantCulture, $"the {representative.Count} per-path request-duration histograms show");
        return coarse.Length == 0
            ? string.Create(CultureInfo.InvariantCulture, $"; {source} {slower} of {total} request(s) slower than the timeout")
            : string.Create(CultureInfo.InvariantCulture, $"; {source} at most {slower} of {total} request(s) slower than the timeout: ")
                + (representative.Count == 1 ? "its" : "some of their") + " buckets end at "
                + DiagnosisMessage.FormatValue(coarse.Min()) + ", below the timeout";
    }

    /// <summary>The P99 of a histogram as text, <c>P99 27.5 s</c>, or <c>P99 above 10 s</c> when it lies in the <c>+Inf</c> bucket.</summary>
    public static string P99Text(RequestDurationHistogram histogram)
    {
        var p99 = histogram.Percentile(0.99);
        if (p99 is not { } value)
        {
            return "P99 unknown";
        }

        var beyond = HighestFiniteBound(histogram) is { } bound && histogram.FractionAbove(bound) > 0.01;
        return (beyond ? "P99 above " : "P99 ") + DiagnosisMessage.FormatValue(value);
    }
}
