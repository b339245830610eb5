using System.Buffers;

namespace Gunicorn.Insights.Observations.Metrics;

/// <summary>
/// Estimates quantiles from classic cumulative histogram buckets with exactly the semantics of Prometheus'
/// <c>histogram_quantile()</c> (its <c>BucketQuantile</c>, including the 1e-12 small-delta tolerance added in late
/// 2023), so that a number computed here matches what a Prometheus dashboard shows for the same buckets.
/// </summary>
/// <remarks>
/// <para>The steps, in order:</para>
/// <list type="number">
/// <item><description>A NaN quantile gives NaN, a quantile below 0 gives −∞ and one above 1 gives +∞, before the
/// buckets are looked at.</description></item>
/// <item><description>Buckets are sorted by upper bound; without a <c>+Inf</c> bucket the result is NaN.</description></item>
/// <item><description>Buckets with equal upper bounds are merged by summing their counts.</description></item>
/// <item><description>In one pass, a count that differs from the last accepted count by less than a relative
/// 1e-12 (of the sum of both) is set to that count, and a count below it is raised to it (the histogram was
/// "forced monotonic"). The last accepted count only moves on a real increase. The <c>+Inf</c> bucket is fixed like
/// any other and its fixed count is the total.</description></item>
/// <item><description>Fewer than two buckets, or a total of zero, gives NaN.</description></item>
/// <item><description>The rank is <c>q × total</c>; the result lies in the first finite bucket whose count is at
/// least the rank. A rank beyond every finite bucket gives the highest finite bound; a rank in a lowest bucket whose
/// bound is ≤ 0 gives that bound; otherwise the value is interpolated linearly inside the bucket, from 0 for the
/// lowest bucket.</description></item>
/// </list>
/// <para>All arithmetic is plain IEEE double in Prometheus' operation order, without fused multiply-add, so results
/// are bit-identical to an amd64 Prometheus build.</para>
/// </remarks>
public static class HistogramQuantile
{
    /// <summary>Counts closer than this (relative to their sum) are treated as equal, as Prometheus does.</summary>
    internal const double SmallDeltaTolerance = 1e-12;

    /// <summary>The smallest positive normal double (2^-1022); Go's <c>almost.Equal</c> uses it near zero.</summary>
    private const double SmallestNormal = 2.2250738585072014e-308;

    /// <summary>Computes the <paramref name="quantile"/> (0 to 1) of a cumulative histogram, in bucket units.</summary>
    /// <param name="quantile">The quantile, e.g. 0.95 for P95.</param>
    /// <param name="buckets">The buckets in any order; not modified.</param>
    /// <returns>The estimated value; NaN, −∞ or +∞ in the cases described on <see cref="HistogramQuantile"/>.</returns>
    public static double Compute(double quantile, IEnumerable<HistogramBucket> buckets) =>
        Compute(quantile, buckets, out _, out _);

    /// <summary>
    /// Computes the <paramref name="quantile"/> (0 to 1) of a cumulative histogram, in bucket units, and reports
    /// whether a real decrease in the counts had to be flattened.
    /// </summary>
    /// <param name="quantile">The quantile, e.g. 0.95 for P95.</param>
    /// <param name="buckets">The buckets in any order; not modified.</param>
    /// <param name="forcedMonotonic">
    /// <see langword="true"/> when a count was lower than an earlier one and was raised (Prometheus' info annotation
    /// "input to histogram_quantile needed to be fixed for monotonicity"); it does not change the result. Always
    /// <see langword="false"/> when the result was decided before the buckets were fixed (invalid quantile, no
    /// <c>+Inf</c> bucket).
    /// </param>
    /// <returns>The estimated value; NaN, −∞ or +∞ in the cases described on <see cref="HistogramQuantile"/>.</returns>
    public static double Compute(double quantile, IEnumerable<HistogramBucket> buckets, out bool forcedMonotonic) =>
        Compute(quantile, buckets, out forcedMonotonic, out _);

    /// <summary>
    /// Computes the <paramref name="quantile"/> (0 to 1) of a cumulative histogram, in bucket units, and reports both
    /// kinds of count fix.
    /// </summary>
    /// <param name="quantile">The quantile, e.g. 0.95 for P95.</param>
    /// <param name="buckets">The buckets in any order; not modified.</param>
    /// <param name="forcedMonotonic"><see langword="true"/> when a count lower than an earlier one was raised.</param>
    /// <param name="fixedPrecision">
    /// <see langword="true"/> when a count within the 1e-12 relative tolerance of the last accepted count was set to it.
    /// </param>
    /// <returns>The estimated value; NaN, −∞ or +∞ in the cases described on <see cref="HistogramQuantile"/>.</returns>
    public static double Compute(double quantile, IEnumerable<HistogramBucket> buckets, out bool forcedMonotonic,
        out bool fixedPrecision)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        forcedMonotonic = false;
        fixedPrecision = false;

        // The quantile is judged before the buckets: -0.1 gives -Inf even for an empty or broken histogram.
        if (OutsideZeroToOne(quantile) is { } edge)
        {
            return edge;
        }

        var sorted = CopyOf(buckets, out var bucketCount);
        try
        {
            var length = Normalize(sorted, bucketCount, out forcedMonotonic, out fixedPrecision);
            return OfNormalized(quantile, sorted.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<HistogramBucket>.Shared.Return(sorted);
        }
    }

    /// <summary>The <paramref name="quantile"/> of buckets already normalized (see <see cref="Normalized"/>).</summary>
    internal static double ComputeNormalized(double quantile, ReadOnlySpan<HistogramBucket> normalized) =>
        OutsideZeroToOne(quantile) ?? OfNormalized(quantile, normalized);

    /// <summary>What a quantile outside [0, 1] gives whatever the buckets (NaN, −∞, +∞); null for one inside.</summary>
    private static double? OutsideZeroToOne(double quantile) =>
        double.IsNaN(quantile) ? double.NaN : quantile < 0 ? double.NegativeInfinity : quantile > 1 ? double.PositiveInfinity : null;

    /// <summary>
    /// A copy of <paramref name="buckets"/> sorted, with equal bounds merged and counts made monotonic, as
    /// <see cref="Compute(double, IEnumerable{HistogramBucket})"/> reads them.
    /// </summary>
    internal static HistogramBucket[] Normalized(IEnumerable<HistogramBucket> buckets)
    {
        var sorted = CopyOf(buckets, out var bucketCount);
        try
        {
            var length = Normalize(sorted, bucketCount, out _, out _);
            return sorted.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<HistogramBucket>.Shared.Return(sorted);
        }
    }

    private static double OfNormalized(double quantile, ReadOnlySpan<HistogramBucket> sorted)
    {
        var length = sorted.Length;
        if (length < 2)
        {
            return double.NaN;
        }

        var total = sorted[length - 1].CumulativeCount;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = quantile * total;
        var b = FirstAtLeast(sorted, length - 1, rank);
        if (b == length - 1)
        {
            // Observations above the highest finite bound have no known value; Prometheus reports that bound.
            return sorted[length - 2].UpperBound;
        }

        if (b == 0 && sorted[0].UpperBound <= 0)
        {
            // There is no natural lower edge to interpolate from below a non-positive bound.
            return sorted[0].UpperBound;
        }

        var start = 0.0;
        var end = sorted[b].UpperBound;
        var count = sorted[b].CumulativeCount;
        if (b > 0)
        {
            start = sorted[b - 1].UpperBound;
            count -= sorted[b - 1].CumulativeCount;
            rank -= sorted[b - 1].CumulativeCount;
        }

        // Same grouping as Prometheus; 0/0 (an empty lowest bucket at q = 0) is NaN there too, on purpose.
        return start + ((end - start) * (rank / count));
    }

    /// <summary>The share of observations above <paramref name="threshold"/> in buckets already normalized.</summary>
    internal static double FractionAboveNormalized(double threshold, ReadOnlySpan<HistogramBucket> sorted)
    {
        var length = sorted.Length;
        if (length < 2 || double.IsNaN(threshold))
        {
            return double.NaN;
        }

        var total = sorted[length - 1].CumulativeCount;
        if (total == 0)
        {
            return double.NaN;
        }

        var b = 0;
        while (b < length - 1 && sorted[b].UpperBound < threshold)
        {
            b++;
        }

        double atOrBelow;
        if (b == length - 1)
        {
            atOrBelow = sorted[length - 2].CumulativeCount;
        }
        else if (b == 0 && sorted[0].UpperBound <= 0)
        {
            atOrBelow = threshold >= sorted[0].UpperBound ? sorted[0].CumulativeCount : 0;
        }
        else
        {
            var start = b == 0 ? 0.0 : sorted[b - 1].UpperBound;
            var below = b == 0 ? 0.0 : sorted[b - 1].CumulativeCount;
            var end = sorted[b].UpperBound;
            // Below a le="-Inf" bucket there is no width to spread over; the observations are taken to sit on end.
            var share = threshold <= start ? 0.0
                : threshold >= end ? 1.0
                : double.IsNegativeInfinity(start) ? 0.0
                : (threshold - start) / (end - start);
            atOrBelow = below + ((sorted[b].CumulativeCount - below) * share);
        }

        return (total - atOrBelow) / total;
    }

    private static HistogramBucket[] CopyOf(IEnumerable<HistogramBucket> buckets, out int count)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        HistogramBucket[] copy;
        switch (buckets)
        {
            case ICollection<HistogramBucket> collection:
                count = collection.Count;
                copy = ArrayPool<HistogramBucket>.Shared.Rent(count);
                collection.CopyTo(copy, 0);
                return copy;
            case IReadOnlyCollection<HistogramBucket> readOnly:
                count = readOnly.Count;
                copy = ArrayPool<HistogramBucket>.Shared.Rent(count);
                var i = 0;
                foreach (var bucket in readOnly)
                {
                    copy[i++] = bucket;
                }

                return copy;
            default:
                var all = buckets.ToArray();
                count = all.Length;
                copy = ArrayPool<HistogramBucket>.Shared.Rent(count);
                all.CopyTo(copy, 0);
                return copy;
        }
    }

    /// <summary>
    /// Sorts, merges equal bounds and applies the small-delta and monotonicity fixes in place.
    /// </summary>
    /// <returns>The number of buckets left after merging, or 0 when there is no <c>+Inf</c> bucket.</returns>
    private static int Normalize(HistogramBucket[] buckets, int count, out bool forcedMonotonic, out bool fixedPrecision)
    {
        forcedMonotonic = false;
        fixedPrecision = false;
        if (count == 0)
        {
            return 0;
        }

        buckets.AsSpan(0, count).Sort(static (x, y) => x.UpperBound.CompareTo(y.UpperBound));
        if (!double.IsPositiveInfinity(buckets[count - 1].UpperBound))
        {
            return 0;
        }

        // Equal bounds written differently (0.2, 2e-1) are one bucket, so their counts add up.
        var length = 1;
        for (var i = 1; i < count; i++)
        {
            if (buckets[i].UpperBound == buckets[length - 1].UpperBound)
            {
                buckets[length - 1] = buckets[length - 1] with
                {
                    CumulativeCount = buckets[length - 1].CumulativeCount + buckets[i].CumulativeCount,
                };
            }
            else
            {
                buckets[length++] = buckets[i];
            }
        }

        // "prev" is the last count accepted as a real increase; it is deliberately not moved by a fix, so a slow
        // drift is flattened until it exceeds the tolerance relative to that count.
        var prev = buckets[0].CumulativeCount;
        for (var i = 1; i < length; i++)
        {
            var current = buckets[i].CumulativeCount;
            if (current == prev)
            {
                continue;
            }

            if (AlmostEqual(prev, current, SmallDeltaTolerance))
            {
                buckets[i] = buckets[i] with { CumulativeCount = prev };
                fixedPrecision = true;
                continue;
            }

            if (current < prev)
            {
                buckets[i] = buckets[i] with { CumulativeCount = prev };
                forcedMonotonic = true;
                continue;
            }

            prev = current;
        }

        return length;
    }

    /// <summary>
    /// Go's <c>almost.Equal</c>: the difference relative to the sum of both magnitudes, with an absolute test near 0.
    /// </summary>
    private static bool AlmostEqual(double a, double b, double epsilon)
    {
        if (double.IsNaN(a) && double.IsNaN(b))
        {
            return true;
        }

        if (a == b)
        {
            return true;
        }

        var absSum = Math.Abs(a) + Math.Abs(b);
        var diff = Math.Abs(a - b);
        if (a == 0 || b == 0 || absSum < SmallestNormal)
        {
            return diff < epsilon * SmallestNormal;
        }

        return diff / Math.Min(absSum, double.MaxValue) < epsilon;
    }

    /// <summary>
    /// The smallest index in [0, <paramref name="n"/>) whose count is at least <paramref name="rank"/>, or
    /// <paramref name="n"/> if none. A binary search like Go's <c>sort.Search</c>, so even NaN counts pick the same
    /// bucket as Prometheus.
    /// </summary>
    private static int FirstAtLeast(ReadOnlySpan<HistogramBucket> buckets, int n, double rank)
    {
        int low = 0, high = n;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (!(buckets[middle].CumulativeCount >= rank))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
