namespace Gunicorn.Insights.Observations.Metrics;

/// <summary>
/// A histogram's buckets as <see cref="HistogramQuantile"/> reads them (sorted, equal bounds merged, counts made
/// monotonic), worked out on first use and kept: the buckets never change, and the rules ask many quantiles and
/// fractions of the same histogram. It takes no part in the histogram's equality.
/// </summary>
internal sealed class NormalizedBuckets
{
    private HistogramBucket[]? _buckets;

    /// <summary>The normalized form of <paramref name="buckets"/>, which must be the same list on every call.</summary>
    public ReadOnlySpan<HistogramBucket> Of(IReadOnlyList<HistogramBucket> buckets)
    {
        // Two threads may both work it out; they get the same contents, so either one may win.
        return Volatile.Read(ref _buckets) ?? Set(HistogramQuantile.Normalized(buckets));
    }

    /// <summary>Every cache is equal to every other: a cached form never makes two histograms differ.</summary>
    public override bool Equals(object? obj) => obj is NormalizedBuckets;

    /// <inheritdoc />
    public override int GetHashCode() => 0;

    private HistogramBucket[] Set(HistogramBucket[] normalized)
    {
        Volatile.Write(ref _buckets, normalized);
        return normalized;
    }
}
