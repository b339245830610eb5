using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Metrics;

namespace Gunicorn.Insights.Tests.Observations.Metrics;

public class RequestDurationHistogramTests
{
    private const double Inf = double.PositiveInfinity;
    private static readonly SourceLocation Source = new("metrics.prom", 12);

    /// <summary>1200 requests; P50 0.2 s, P90 2.2 s, P95 4.5 s, P99 in the +Inf bucket.</summary>
    private static RequestDurationHistogram Seconds() =>
        RequestDurationHistogram.FromUpperBoundsInSeconds("http_request_duration_seconds",
            [(0.1, 400), (0.25, 700), (0.5, 900), (1, 1000), (2.5, 1100), (5, 1150), (10, 1180), (Inf, 1200)], Source);

    /// <summary>A StatsD-style histogram in milliseconds with 1000 requests.</summary>
    private static RequestDurationHistogram Milliseconds() =>
        RequestDurationHistogram.FromUpperBoundsInMilliseconds("gunicorn.request.duration",
            [(5, 100), (10, 300), (25, 600), (50, 800), (100, 950), (250, 990), (500, 1000), (Inf, 1000)], Source);

    [Fact]
    public void Percentile_of_a_seconds_histogram_is_the_quantile_in_seconds()
    {
        var histogram = Seconds();

        histogram.BucketUnit.Should().Be(TimeSpan.FromSeconds(1));
        histogram.Percentile(0.5).Should().Be(TimeSpan.FromMilliseconds(200));
        histogram.Percentile(0.9).Should().Be(TimeSpan.FromMilliseconds(2200));
        histogram.Percentile(0.95).Should().Be(TimeSpan.FromMilliseconds(4500));
    }

    [Fact]
    public void Percentile_of_a_milliseconds_histogram_is_the_quantile_in_milliseconds()
    {
        var histogram = Milliseconds();

        histogram.BucketUnit.Should().Be(TimeSpan.FromMilliseconds(1));
        // Rank 500 in (10, 25] ms: 10 + 15 × 200/300 = 20 ms.
        histogram.Percentile(0.5).Should().Be(TimeSpan.FromMilliseconds(20));
        // Rank 950 equals the 100 ms bucket's count.
        histogram.Percentile(0.95).Should().Be(TimeSpan.FromMilliseconds(100));
        // Rank 990 equals the 250 ms bucket's count.
        histogram.Percentile(0.99).Should().Be(TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void Percentile_is_rounded_to_the_nearest_tick()
    {
        // Rank 900 in (50, 100] ms: 50 + 50 × 100/150 = 83.333… ms = 833 333.3… ticks.
        Milliseconds().Percentile(0.9).Should().Be(TimeSpan.FromTicks(833_333));
        Milliseconds().QuantileValue(0.9).Should().BeApproximately(83.333333333333333, 1e-12);
    }

    [Fact]
    public void Percentile_does_not_lose_a_tick_to_binary_fractions()
    {
        // 0.12000000000000001 s × 10^7 is not an integer; rounding gives exactly 120 ms.
        var histogram = RequestDurationHistogram.FromUpperBoundsInSeconds("http_request_duration_seconds",
            [(0.1, 560), (0.25, 860), (1, 1092), (2.5, 1172), (5, 1197), (10, 1200), (Inf, 1200)], Source);

        histogram.Percentile(0.5).Should().Be(TimeSpan.FromMilliseconds(120));
        histogram.Percentile(0.95).Should().Be(TimeSpan.FromMilliseconds(1900));
        histogram.Percentile(0.99).Should().Be(TimeSpan.FromMilliseconds(4100));
    }

    [Fact]
    public void Percentile_in_the_inf_bucket_is_the_highest_finite_bound()
    {
        Seconds().Percentile(0.99).Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Percentile_is_null_when_the_quantile_is_not_finite()
    {
        var empty = RequestDurationHistogram.FromUpperBoundsInSeconds("x", [(0.1, 0), (Inf, 0)], Source);
        var noInf = RequestDurationHistogram.FromUpperBoundsInSeconds("x", [(0.1, 3), (1, 5)], Source);

        empty.Percentile(0.5).Should().BeNull();
        noInf.Percentile(0.5).Should().BeNull();
        Seconds().Percentile(1.5).Should().BeNull();
        Seconds().Percentile(-0.5).Should().BeNull();
        Seconds().Percentile(double.NaN).Should().BeNull();
    }

    [Fact]
    public void QuantileValue_is_prometheus_exact_in_bucket_units()
    {
        var histogram = Seconds();

        histogram.QuantileValue(0.95).Should().Be(4.5);
        histogram.QuantileValue(1.01).Should().Be(double.PositiveInfinity);
        histogram.QuantileValue(-0.01).Should().Be(double.NegativeInfinity);
    }

    [Fact]
    public void Buckets_are_sorted_by_bound_and_count_is_the_inf_bucket()
    {
        var histogram = new RequestDurationHistogram("http_request_duration_seconds",
            [new(Inf, 40), new(1, 10), new(4, 40), new(2, 30)], TimeSpan.FromSeconds(1), Source);

        histogram.Buckets.Select(b => b.UpperBound).Should().Equal(1, 2, 4, Inf);
        histogram.Count.Should().Be(40);
        histogram.Percentile(0.5).Should().Be(TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public void Count_without_an_inf_bucket_is_the_largest_count()
    {
        RequestDurationHistogram.FromUpperBoundsInSeconds("x", [(0.1, 3), (1, 7), (2, 5)], Source).Count.Should().Be(7);
        RequestDurationHistogram.FromUpperBoundsInSeconds("x", [], Source).Count.Should().Be(0);
    }

    [Fact]
    public void The_callers_list_is_copied()
    {
        HistogramBucket[] buckets = [new(Inf, 4), new(1, 2)];

        var histogram = new RequestDurationHistogram("x", buckets, TimeSpan.FromSeconds(1), Source);
        buckets[1] = new(1, 0);

        histogram.Buckets.Should().Equal(new HistogramBucket(1, 2), new HistogramBucket(Inf, 4));
        buckets[0].Should().Be(new HistogramBucket(Inf, 4));
    }

    [Fact]
    public void FractionAbove_interpolates_inside_the_bucket_containing_the_threshold()
    {
        var histogram = Seconds();

        // 1 s is a bound: 1000 of 1200 are at or below it.
        histogram.FractionAbove(TimeSpan.FromSeconds(1)).Should().BeApproximately(200.0 / 1200, 1e-15);
        // 1.75 s is halfway through (1, 2.5]: 1000 + 100 × 0.5 = 1050 at or below.
        histogram.FractionAbove(TimeSpan.FromSeconds(1.75)).Should().BeApproximately(150.0 / 1200, 1e-15);
        // 50 ms is halfway through the lowest bucket, which starts at 0.
        histogram.FractionAbove(TimeSpan.FromMilliseconds(50)).Should().BeApproximately(1000.0 / 1200, 1e-15);
    }

    [Fact]
    public void FractionAbove_works_in_the_histograms_own_unit()
    {
        // 75 ms is halfway through (50, 100] ms: 800 + 150 × 0.5 = 875 of 1000 at or below.
        Milliseconds().FractionAbove(TimeSpan.FromMilliseconds(75)).Should().BeApproximately(0.125, 1e-15);
        Milliseconds().FractionAbove(TimeSpan.FromMilliseconds(500)).Should().Be(0);
    }

    [Fact]
    public void FractionAbove_zero_or_less_is_everything()
    {
        Seconds().FractionAbove(TimeSpan.Zero).Should().Be(1);
        Seconds().FractionAbove(TimeSpan.FromSeconds(-1)).Should().Be(1);
    }

    [Fact]
    public void FractionAbove_counts_inf_bucket_observations_as_slower_than_any_threshold()
    {
        // The 20 requests above 10 s stay "slower" even for a 60 s threshold: their durations are unknown.
        Seconds().FractionAbove(TimeSpan.FromSeconds(10)).Should().BeApproximately(20.0 / 1200, 1e-15);
        Seconds().FractionAbove(TimeSpan.FromSeconds(60)).Should().BeApproximately(20.0 / 1200, 1e-15);
    }

    [Fact]
    public void FractionAbove_is_NaN_without_observations_or_inf_bucket()
    {
        RequestDurationHistogram.FromUpperBoundsInSeconds("x", [(0.1, 0), (Inf, 0)], Source)
            .FractionAbove(TimeSpan.FromSeconds(1)).Should().Be(double.NaN);
        RequestDurationHistogram.FromUpperBoundsInSeconds("x", [(0.1, 3), (1, 5)], Source)
            .FractionAbove(TimeSpan.FromSeconds(1)).Should().Be(double.NaN);
    }

    [Fact]
    public void FractionAbove_a_non_positive_lowest_bound_puts_its_observations_on_the_bound()
    {
        var histogram = RequestDurationHistogram.FromUpperBoundsInSeconds("x", [(0, 2), (1, 4), (Inf, 4)], Source);

        histogram.FractionAbove(TimeSpan.FromSeconds(-1)).Should().Be(1);
        histogram.FractionAbove(TimeSpan.Zero).Should().Be(0.5);
        histogram.FractionAbove(TimeSpan.FromSeconds(0.5)).Should().Be(0.25);
    }

    [Fact]
    public void FractionAbove_applies_the_same_fixes_as_the_quantile()
    {
        // Duplicate bounds merge (0.2 holds 3) and the +Inf count of 2 is raised to 3: at 150 ms 2.5 of 3 are at or
        // below, so 1/6 is above (without the fixes the total would be 2 and the share negative).
        var histogram = RequestDurationHistogram.FromUpperBoundsInSeconds("x",
            [(0.1, 2), (0.2, 1), (2e-1, 2), (Inf, 2)], Source);

        histogram.FractionAbove(TimeSpan.FromMilliseconds(150)).Should().BeApproximately(1.0 / 6, 1e-15);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.8)]
    [InlineData(0.95)]
    public void FractionAbove_inverts_Percentile_inside_the_finite_buckets(double q)
    {
        var histogram = Seconds();

        histogram.FractionAbove(histogram.Percentile(q)!.Value).Should().BeApproximately(1 - q, 1e-6);
    }

    [Fact]
    public void Describe_names_count_and_percentiles()
    {
        var histogram = RequestDurationHistogram.FromUpperBoundsInSeconds("gunicorn_request_duration_seconds",
            [(0.1, 560), (0.25, 860), (1, 1092), (2.5, 1172), (5, 1197), (10, 1200), (Inf, 1200)], Source);

        histogram.Describe().Should().Be("gunicorn_request_duration_seconds: 1200 requests, P50 0.12 s, P95 1.9 s, P99 4.1 s");
    }

    [Fact]
    public void Describe_marks_a_percentile_beyond_the_highest_finite_bound()
    {
        Seconds().Describe().Should().Be("http_request_duration_seconds: 1200 requests, P50 0.2 s, P95 4.5 s, P99 > 10 s");
    }

    [Fact]
    public void Describe_shows_labels_window_and_milliseconds_histograms_in_seconds()
    {
        var histogram = Milliseconds() with
        {
            Labels = new Dictionary<string, string> { ["job"] = "web", ["instance"] = "web-1:9102" },
            Window = TimeSpan.FromMinutes(5),
        };

        histogram.Describe().Should().Be(
            "gunicorn.request.duration{instance=\"web-1:9102\",job=\"web\"}: 1000 requests in 300 s, P50 0.02 s, P95 0.1 s, P99 0.25 s");
    }

    [Fact]
    public void Describe_without_observations_has_no_percentiles()
    {
        RequestDurationHistogram.FromUpperBoundsInSeconds("x", [(0.1, 0), (Inf, 0)], Source).Describe()
            .Should().Be("x: 0 requests");
    }

    [Fact]
    public void Optional_properties_default_to_empty_or_unknown()
    {
        var histogram = Seconds();

        histogram.Labels.Should().BeEmpty();
        histogram.Sum.Should().BeNull();
        histogram.Window.Should().BeNull();
        histogram.MetricName.Should().Be("http_request_duration_seconds");
        histogram.Source.Should().Be(Source);
    }

    [Fact]
    public void A_with_copy_is_equal_but_separately_built_histograms_are_not()
    {
        var histogram = Seconds();

        (histogram with { }).Should().Be(histogram);
        (histogram with { Sum = TimeSpan.FromSeconds(300) }).Should().NotBe(histogram);
        // Buckets compare by reference: same content, different instance.
        Seconds().Should().NotBe(histogram);
    }

    [Fact]
    public void Working_out_percentiles_does_not_change_equality()
    {
        var histogram = Seconds();
        var copy = histogram with { };

        histogram.Percentile(0.95).Should().Be(TimeSpan.FromMilliseconds(4500));

        copy.Should().Be(histogram);
        copy.GetHashCode().Should().Be(histogram.GetHashCode());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Repeated_quantiles_of_merged_and_non_monotonic_buckets_match_histogram_quantile(double q)
    {
        // 0.5 twice (merged: 12 + 3) and 0.25 below 0.1's count (forced monotonic).
        var histogram = RequestDurationHistogram.FromUpperBoundsInSeconds("http_request_duration_seconds",
            [(0.5, 12), (0.1, 5), (0.25, 4), (0.5, 3), (Inf, 20)], Source);
        var expected = HistogramQuantile.Compute(q, histogram.Buckets);

        histogram.QuantileValue(q).Should().Be(expected);
        histogram.QuantileValue(q).Should().Be(expected);
    }

    [Fact]
    public void Fraction_above_reads_the_same_merged_buckets_as_the_quantiles()
    {
        var histogram = RequestDurationHistogram.FromUpperBoundsInSeconds("http_request_duration_seconds",
            [(0.5, 12), (0.1, 5), (0.25, 4), (0.5, 3), (Inf, 20)], Source);

        // Counts 5, 5 (raised from 4), 15 (12 + 3), 20: the median, rank 10, is halfway from 0.25 s to 0.5 s.
        histogram.QuantileValue(0.5).Should().Be(0.375);
        histogram.FractionAbove(TimeSpan.FromSeconds(0.5)).Should().Be(0.25);
        histogram.FractionAbove(TimeSpan.FromSeconds(0.375)).Should().Be(0.5);
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        var blankName = () => new RequestDurationHistogram(" ", [], TimeSpan.FromSeconds(1), Source);
        var zeroUnit = () => new RequestDurationHistogram("x", [], TimeSpan.Zero, Source);
        var nanBound = () => new RequestDurationHistogram("x", [new(double.NaN, 1)], TimeSpan.FromSeconds(1), Source);
        var nullSource = () => new RequestDurationHistogram("x", [], TimeSpan.FromSeconds(1), null!);

        blankName.Should().Throw<ArgumentException>();
        zeroUnit.Should().Throw<ArgumentOutOfRangeException>();
        nanBound.Should().Throw<ArgumentException>();
        nullSource.Should().Throw<ArgumentNullException>();
    }
}
