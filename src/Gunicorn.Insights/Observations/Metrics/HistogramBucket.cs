namespace Gunicorn.Insights.Observations.Metrics;

/// <summary>
/// One bucket of a classic (cumulative) histogram, as in a Prometheus <c>_bucket{le="…"}</c> sample.
/// </summary>
/// <param name="UpperBound">
/// The inclusive upper bound (<c>le</c>) in the histogram's own unit; <see cref="double.PositiveInfinity"/> for the
/// <c>+Inf</c> bucket.
/// </param>
/// <param name="CumulativeCount">
/// The number of observations less than or equal to <paramref name="UpperBound"/>. A double because rates and
/// increases of counters are fractional.
/// </param>
public readonly record struct HistogramBucket(double UpperBound, double CumulativeCount);
