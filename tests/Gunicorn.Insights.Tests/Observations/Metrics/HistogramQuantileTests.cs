using Gunicorn.Insights.Observations.Metrics;

namespace Gunicorn.Insights.Tests.Observations.Metrics;

public class HistogramQuantileTests
{
    private const double Inf = double.PositiveInfinity;

    private static HistogramBucket[] Buckets(params (double UpperBound, double Count)[] buckets) =>
        buckets.Select(b => new HistogramBucket(b.UpperBound, b.Count)).ToArray();

    private static HistogramBucket[] Buckets(double[] bounds, double[] counts) =>
        bounds.Zip(counts, (bound, count) => new HistogramBucket(bound, count)).ToArray();

    /// <summary>NaN and infinities exactly, everything else within a relative 1e-12 (Prometheus' own epsilon).</summary>
    private static void ShouldMatch(double actual, double expected)
    {
        if (double.IsNaN(expected))
        {
            actual.Should().Be(double.NaN);
        }
        else if (double.IsInfinity(expected) || expected == 0)
        {
            actual.Should().Be(expected);
        }
        else
        {
            actual.Should().BeApproximately(expected, Math.Abs(expected) * 1e-12);
        }
    }

    // ---- Section 3 of the reference: one test per edge case ----

    [Fact]
    public void NaN_quantile_returns_NaN_before_the_buckets_are_looked_at()
    {
        HistogramQuantile.Compute(double.NaN, Buckets((1, 5), (Inf, 10))).Should().Be(double.NaN);
        HistogramQuantile.Compute(double.NaN, Buckets((1, 5))).Should().Be(double.NaN);
    }

    [Fact]
    public void Quantile_below_zero_returns_negative_infinity_even_without_inf_bucket_or_observations()
    {
        HistogramQuantile.Compute(-0.1, Buckets((1, 5), (Inf, 10))).Should().Be(double.NegativeInfinity);
        HistogramQuantile.Compute(-0.1, Buckets((1, 5), (2, 7))).Should().Be(double.NegativeInfinity);
        HistogramQuantile.Compute(-0.1, Buckets((1, 0), (Inf, 0))).Should().Be(double.NegativeInfinity);
        HistogramQuantile.Compute(-0.1, []).Should().Be(double.NegativeInfinity);
    }

    [Fact]
    public void Quantile_above_one_returns_positive_infinity_even_without_inf_bucket_or_observations()
    {
        HistogramQuantile.Compute(1.01, Buckets((1, 5), (Inf, 10))).Should().Be(double.PositiveInfinity);
        HistogramQuantile.Compute(1.01, Buckets((1, 5), (2, 7))).Should().Be(double.PositiveInfinity);
        HistogramQuantile.Compute(1.01, Buckets((1, 0), (Inf, 0))).Should().Be(double.PositiveInfinity);
        HistogramQuantile.Compute(1.01, []).Should().Be(double.PositiveInfinity);
    }

    [Fact]
    public void Missing_inf_bucket_returns_NaN()
    {
        HistogramQuantile.Compute(0.5, Buckets((0.1, 5), (0.2, 7), (1, 11))).Should().Be(double.NaN);
    }

    [Fact]
    public void No_buckets_at_all_returns_NaN()
    {
        HistogramQuantile.Compute(0.5, []).Should().Be(double.NaN);
    }

    [Fact]
    public void Only_one_bucket_after_merging_returns_NaN()
    {
        HistogramQuantile.Compute(0.5, Buckets((Inf, 10))).Should().Be(double.NaN);
        // "+inf" and "+Inf" parse to the same bound and are merged into one bucket.
        HistogramQuantile.Compute(0.5, Buckets((Inf, 4), (Inf, 6))).Should().Be(double.NaN);
    }

    [Fact]
    public void All_counts_zero_returns_NaN()
    {
        HistogramQuantile.Compute(0.5, Buckets((0.1, 0), (0.2, 0), (Inf, 0))).Should().Be(double.NaN);
        HistogramQuantile.Compute(1, Buckets((0.1, 0), (0.2, 0), (Inf, 0))).Should().Be(double.NaN);
    }

    [Fact]
    public void Counts_that_are_zero_only_after_the_fixes_return_NaN()
    {
        // 1e-320 is within 1e-12 × smallest-normal of 0, so it is flattened to 0 and the total becomes 0.
        HistogramQuantile.Compute(1, Buckets((1, 0), (2, 1e-320), (Inf, 1e-320)), out _, out var fixedPrecision)
            .Should().Be(double.NaN);
        fixedPrecision.Should().BeTrue();
    }

    [Fact]
    public void Rank_in_the_inf_bucket_returns_the_second_highest_bound()
    {
        // A typical request-duration layout ending …, 5, 10, +Inf with 20 requests slower than 10 s.
        var buckets = Buckets((0.1, 400), (0.25, 700), (0.5, 900), (1, 1000), (2.5, 1100), (5, 1150), (10, 1180),
            (Inf, 1200));

        HistogramQuantile.Compute(0.99, buckets).Should().Be(10);
        HistogramQuantile.Compute(1, buckets).Should().Be(10);
    }

    [Fact]
    public void Quantile_one_without_observations_in_inf_returns_the_bound_of_the_first_bucket_reaching_the_total()
    {
        HistogramQuantile.Compute(1, Buckets((0.5, 2), (1, 5), (2, 5), (Inf, 5))).Should().Be(1);
    }

    [Fact]
    public void Quantile_zero_with_a_positive_lowest_bound_and_observations_returns_zero()
    {
        HistogramQuantile.Compute(0, Buckets((0.5, 2), (1, 3), (Inf, 3))).Should().Be(0);
    }

    [Fact]
    public void Quantile_zero_with_a_positive_lowest_bound_and_an_empty_lowest_bucket_returns_NaN()
    {
        // 0 + 0.5 × (0 / 0): Prometheus returns NaN here and so do we.
        HistogramQuantile.Compute(0, Buckets((0.5, 0), (1, 3), (Inf, 3))).Should().Be(double.NaN);
    }

    [Theory]
    [InlineData(-0.2)]
    [InlineData(0.0)]
    [InlineData(double.NegativeInfinity)]
    public void Rank_in_a_lowest_bucket_with_a_non_positive_bound_returns_that_bound(double lowestBound)
    {
        HistogramQuantile.Compute(0.2, Buckets((lowestBound, 1), (1, 3), (Inf, 3))).Should().Be(lowestBound);
    }

    [Fact]
    public void Lowest_bucket_at_negative_infinity_and_rank_in_the_next_bucket_returns_NaN()
    {
        // -Inf + (+Inf × 0.25) is NaN.
        HistogramQuantile.Compute(0.5, Buckets((double.NegativeInfinity, 1), (1, 3), (Inf, 3)))
            .Should().Be(double.NaN);
    }

    [Fact]
    public void Duplicate_bounds_are_summed_before_anything_else()
    {
        // le="0.2", "2e-1" and "2.0e-1" are one bucket of 3 observations between 0.1 and 0.2.
        var buckets = Buckets((0.1, 1), (0.2, 1), (2e-1, 1), (2.0e-1, 1), (Inf, 4));

        // Rank 2 is the 1st of 2 observations in (0.1, 0.2]: 0.1 + 0.1 × 0.5, which is 0.15000000000000002 in doubles.
        HistogramQuantile.Compute(0.5, buckets, out var forced).Should().Be(0.1 + ((0.2 - 0.1) * (1.0 / 2.0)));
        HistogramQuantile.Compute(0.75, buckets).Should().Be(0.2);
        forced.Should().BeFalse();
    }

    [Fact]
    public void Non_monotonic_counts_are_raised_to_the_running_maximum_including_the_inf_bucket()
    {
        // Fixed to 3, 3, 3: the total grows from 1 to 3, so q = 0.5 has rank 1.5 in the first bucket.
        var buckets = Buckets((1, 3), (2, 2), (Inf, 1));

        HistogramQuantile.Compute(0.5, buckets, out var forced, out var fixedPrecision).Should().Be(0.5);
        forced.Should().BeTrue();
        fixedPrecision.Should().BeFalse();
        HistogramQuantile.Compute(1, buckets).Should().Be(1);
    }

    [Fact]
    public void Monotonic_input_does_not_report_a_fix()
    {
        HistogramQuantile.Compute(0.5, Buckets((1, 10), (2, 30), (Inf, 40)), out var forced, out var fixedPrecision);

        forced.Should().BeFalse();
        fixedPrecision.Should().BeFalse();
    }

    [Fact]
    public void Counts_within_the_relative_tolerance_of_the_sum_are_flattened_to_the_earlier_value()
    {
        // 1.5e-12 relative to either value is 7.5e-13 relative to their sum, under the 1e-12 tolerance: the second
        // bucket is flattened to 1e6 and q = 1 lands in the first bucket.
        const double Nudged = 1e6 * (1 + 1.5e-12);
        HistogramQuantile.Compute(1, Buckets((1, 1e6), (2, Nudged), (Inf, Nudged)), out var forced, out var fixedPrecision)
            .Should().Be(1);
        fixedPrecision.Should().BeTrue();
        forced.Should().BeFalse();

        // 2.5e-12 relative (1.25e-12 of the sum) is a real increase.
        const double Increased = 1e6 * (1 + 2.5e-12);
        HistogramQuantile.Compute(1, Buckets((1, 1e6), (2, Increased), (Inf, Increased)), out _, out fixedPrecision)
            .Should().Be(2);
        fixedPrecision.Should().BeFalse();
    }

    [Fact]
    public void A_tiny_decrease_counts_as_a_precision_fix_not_as_forced_monotonicity()
    {
        HistogramQuantile.Compute(0.5, Buckets((1, 10), (2, 15), (3, 15 - 1e-12), (Inf, 15)),
            out var forced, out var fixedPrecision).Should().Be(7.5 / 10);
        forced.Should().BeFalse();
        fixedPrecision.Should().BeTrue();
    }

    [Fact]
    public void A_slow_drift_is_compared_with_the_last_accepted_count()
    {
        // Steps of 1.5e-12 relative: the first is flattened, the second is 3e-12 away from the last accepted count
        // (1e6) and is a real increase, so q = 1 interpolates to the top of the (2, 3] bucket.
        var buckets = Buckets((1, 1e6), (2, 1e6 + 1.5e-6), (3, 1e6 + 3e-6), (Inf, 1e6 + 3e-6));

        HistogramQuantile.Compute(1, buckets, out _, out var fixedPrecision).Should().Be(3);
        fixedPrecision.Should().BeTrue();
    }

    [Fact]
    public void Rank_exactly_equal_to_a_bucket_count_stays_in_that_bucket()
    {
        // Rank 900 equals the 0.5 bucket's count, so the result is that bucket's bound, not a point above it.
        var buckets = Buckets((0.1, 400), (0.25, 700), (0.5, 900), (1, 1000), (Inf, 1200));

        HistogramQuantile.Compute(0.75, buckets).Should().Be(0.5);
    }

    [Fact]
    public void A_single_observation_interpolates_normally()
    {
        HistogramQuantile.Compute(0.5, Buckets((1, 1), (Inf, 1))).Should().Be(0.5);
        HistogramQuantile.Compute(0.3, Buckets((1, 0), (2, 1), (Inf, 1))).Should().Be(1.3);
    }

    [Fact]
    public void Unsorted_input_is_sorted_first()
    {
        var sorted = Buckets((1, 10), (2, 30), (4, 40), (Inf, 40));
        var shuffled = Buckets((Inf, 40), (2, 30), (4, 40), (1, 10));

        HistogramQuantile.Compute(0.9, shuffled).Should().Be(HistogramQuantile.Compute(0.9, sorted));
        HistogramQuantile.Compute(0.9, shuffled).Should().Be(3.2);
    }

    [Fact]
    public void The_callers_buckets_are_not_modified()
    {
        var buckets = Buckets((Inf, 1), (0.2, 1), (2e-1, 2), (0.1, 5), (1, 4));
        var before = buckets.ToArray();

        HistogramQuantile.Compute(0.5, buckets, out var forced);

        forced.Should().BeTrue();
        buckets.Should().Equal(before);
    }

    [Fact]
    public void Compute_allocates_only_its_working_copy()
    {
        var buckets = Buckets((0.005, 1), (0.01, 2), (0.025, 2), (0.05, 4), (0.1, 6), (0.25, 9), (0.5, 9), (1, 10),
            (2.5, 9), (5, 12), (10, 13), (Inf, 14));
        HistogramQuantile.Compute(0.9, buckets, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        HistogramQuantile.Compute(0.9, buckets, out _, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // One HistogramBucket[12] (16 bytes each plus the array header) and nothing else.
        allocated.Should().BeLessThanOrEqualTo((12 * 16) + 32);
    }

    [Fact]
    public void Any_enumerable_is_accepted()
    {
        static IEnumerable<HistogramBucket> Lazy()
        {
            yield return new HistogramBucket(2, 30);
            yield return new HistogramBucket(1, 10);
            yield return new HistogramBucket(Inf, 40);
        }

        HistogramQuantile.Compute(0.5, Lazy()).Should().Be(1.5);
        HistogramQuantile.Compute(0.5, Buckets((1, 10), (2, 30), (Inf, 40)).ToList().AsReadOnly()).Should().Be(1.5);
    }

    [Fact]
    public void Null_buckets_are_rejected()
    {
        var act = () => HistogramQuantile.Compute(0.5, null!);

        act.Should().Throw<ArgumentNullException>();
    }

    // ---- Hand-computed interpolation ----

    [Theory]
    [InlineData(0.05, 0.2)] // rank 2 of 10 in (0, 1]: 0 + 1 × 2/10
    [InlineData(0.25, 1.0)] // rank 10 equals the first count
    [InlineData(0.5, 1.5)] // rank 20: 1 + 1 × 10/20
    [InlineData(0.9, 3.2)] // rank 36: 2 + 2 × 6/10
    [InlineData(1.0, 4.0)] // rank 40 reaches the total in the (2, 4] bucket
    public void Interpolates_linearly_inside_the_bucket(double q, double expected)
    {
        HistogramQuantile.Compute(q, Buckets((1, 10), (2, 30), (4, 40), (Inf, 40))).Should().Be(expected);
    }

    [Fact]
    public void Interpolation_follows_prometheus_operation_order_bit_for_bit()
    {
        // start + (end - start) × (rank / count): 0.2 + 0.5 × (1/3) is 0.36666666666666664, whereas multiplying before
        // dividing, or weighting both ends, gives 0.3666666666666667.
        HistogramQuantile.Compute(0.5, Buckets((0.2, 3), (0.7, 6), (Inf, 8))).Should().Be(0.36666666666666664);
        HistogramQuantile.Compute(0.5, Buckets((0.1, 3), (0.3, 6), (Inf, 8))).Should().Be(0.16666666666666666);
    }

    [Theory]
    [InlineData(0.5, 0.2)] // rank 600 in (0.1, 0.25]: 0.1 + 0.15 × 200/300
    [InlineData(0.9, 2.2)] // rank 1080 in (1, 2.5]: 1 + 1.5 × 80/100
    [InlineData(0.95, 4.5)] // rank 1140 in (2.5, 5]: 2.5 + 2.5 × 40/50
    public void Interpolates_a_gunicorn_style_seconds_histogram(double q, double expected)
    {
        var buckets = Buckets((0.1, 400), (0.25, 700), (0.5, 900), (1, 1000), (2.5, 1100), (5, 1150), (10, 1180),
            (Inf, 1200));

        ShouldMatch(HistogramQuantile.Compute(q, buckets), expected);
    }

    [Fact]
    public void Quantiles_are_invariant_under_a_common_factor()
    {
        // Raw counts, increases and per-second rates of the same histogram agree.
        var counts = Buckets((0.1, 50), (0.2, 70), (1, 110), (Inf, 120));
        var rates = counts.Select(b => b with { CumulativeCount = b.CumulativeCount / 300 }).ToArray();

        ShouldMatch(HistogramQuantile.Compute(0.8, rates), HistogramQuantile.Compute(0.8, counts));
    }

    // ---- Cases from Prometheus' own tests ----

    /// <summary>
    /// Evaluations from prometheus/prometheus, promql/promqltest/testdata/histograms.test (read at commit
    /// 01cbe3d25c5a677659e643a1d992e754760d4360). Counts are the loaded series' values at the eval instant
    /// (<c>0+5x10</c> is 50 at 50m); for <c>rate()</c> / <c>sum(rate())</c> evals they are the per-step increments
    /// (every series is linear on the same 5m grid, so the rate is increment / 300 for every bucket and the
    /// quantile is the same).
    /// </summary>
    public static TheoryData<string, double[], double[], double, double> PrometheusCases() => new()
    {
        // testhistogram{start="positive"}: le 0.1, .2, 1e0, +Inf.
        { "testhistogram positive q=0", [0.1, 0.2, 1, Inf], [50, 70, 110, 120], 0, 0 },
        { "testhistogram positive q=1", [0.1, 0.2, 1, Inf], [50, 70, 110, 120], 1, 1 },
        { "testhistogram positive q=0.2", [0.1, 0.2, 1, Inf], [50, 70, 110, 120], 0.2, 0.048 },
        { "testhistogram positive q=0.5", [0.1, 0.2, 1, Inf], [50, 70, 110, 120], 0.5, 0.15 },
        { "testhistogram positive q=0.8", [0.1, 0.2, 1, Inf], [50, 70, 110, 120], 0.8, 0.72 },
        { "testhistogram positive q=-0.1", [0.1, 0.2, 1, Inf], [50, 70, 110, 120], -0.1, double.NegativeInfinity },
        { "testhistogram positive q=1.01", [0.1, 0.2, 1, Inf], [50, 70, 110, 120], 1.01, double.PositiveInfinity },
        { "testhistogram positive q=NaN", [0.1, 0.2, 1, Inf], [50, 70, 110, 120], double.NaN, double.NaN },
        { "rate(testhistogram) positive q=0.2", [0.1, 0.2, 1, Inf], [5, 7, 11, 12], 0.2, 0.048 },
        { "rate(testhistogram) positive q=0.8", [0.1, 0.2, 1, Inf], [5, 7, 11, 12], 0.8, 0.72 },
        // testhistogram{start="negative"}: le -.2, -0.1, 0.3, +Inf.
        { "testhistogram negative q=0", [-0.2, -0.1, 0.3, Inf], [10, 20, 20, 30], 0, -0.2 },
        { "testhistogram negative q=1", [-0.2, -0.1, 0.3, Inf], [10, 20, 20, 30], 1, 0.3 },
        { "testhistogram negative q=0.2", [-0.2, -0.1, 0.3, Inf], [10, 20, 20, 30], 0.2, -0.2 },
        { "testhistogram negative q=0.5", [-0.2, -0.1, 0.3, Inf], [10, 20, 20, 30], 0.5, -0.15 },
        { "testhistogram negative q=0.8", [-0.2, -0.1, 0.3, Inf], [10, 20, 20, 30], 0.8, 0.3 },
        { "rate(testhistogram) negative q=0.5", [-0.2, -0.1, 0.3, Inf], [1, 2, 2, 3], 0.5, -0.15 },
        // testhistogram3{start="positive"}: le 0, 0.1, .2, 1e0, +Inf.
        { "testhistogram3 positive q=0", [0, 0.1, 0.2, 1, Inf], [0, 50, 70, 110, 110], 0, 0 },
        { "testhistogram3 positive q=0.25", [0, 0.1, 0.2, 1, Inf], [0, 50, 70, 110, 110], 0.25, 0.055 },
        { "testhistogram3 positive q=0.5", [0, 0.1, 0.2, 1, Inf], [0, 50, 70, 110, 110], 0.5, 0.125 },
        { "testhistogram3 positive q=0.75", [0, 0.1, 0.2, 1, Inf], [0, 50, 70, 110, 110], 0.75, 0.45 },
        { "testhistogram3 positive q=1", [0, 0.1, 0.2, 1, Inf], [0, 50, 70, 110, 110], 1, 1 },
        // testhistogram3{start="negative"}: le -.25, -.2, -0.1, 0.3, +Inf.
        { "testhistogram3 negative q=0", [-0.25, -0.2, -0.1, 0.3, Inf], [0, 10, 20, 20, 20], 0, -0.25 },
        { "testhistogram3 negative q=0.25", [-0.25, -0.2, -0.1, 0.3, Inf], [0, 10, 20, 20, 20], 0.25, -0.225 },
        { "testhistogram3 negative q=0.5", [-0.25, -0.2, -0.1, 0.3, Inf], [0, 10, 20, 20, 20], 0.5, -0.2 },
        { "testhistogram3 negative q=0.75", [-0.25, -0.2, -0.1, 0.3, Inf], [0, 10, 20, 20, 20], 0.75, -0.15 },
        { "testhistogram3 negative q=1", [-0.25, -0.2, -0.1, 0.3, Inf], [0, 10, 20, 20, 20], 1, -0.1 },
        // testhistogram2 at 7m (values of the 5m sample): results in the middle of a bucket.
        { "testhistogram2 q=1/6", [0, 2, 4, 6, Inf], [0, 1, 2, 3, 3], 1.0 / 6.0, 1 },
        { "testhistogram2 q=0.5", [0, 2, 4, 6, Inf], [0, 1, 2, 3, 3], 0.5, 3 },
        { "testhistogram2 q=5/6", [0, 2, 4, 6, Inf], [0, 1, 2, 3, 3], 5.0 / 6.0, 5 },
        // request_duration_seconds: sum(rate(...)) by (le) and finer groupings.
        { "sum by (le) q=0.3", [0.1, 0.2, Inf], [10, 19, 25], 0.3, 0.075 },
        { "sum by (le) q=0.5", [0.1, 0.2, Inf], [10, 19, 25], 0.5, 0.1277777777777778 },
        { "by job job1 q=0.3", [0.1, 0.2, Inf], [3, 8, 10], 0.3, 0.1 },
        { "by job job1 q=0.5", [0.1, 0.2, Inf], [3, 8, 10], 0.5, 0.14 },
        { "by job job2 q=0.3", [0.1, 0.2, Inf], [7, 11, 15], 0.3, 0.0642857142857143 },
        { "by job job2 q=0.5", [0.1, 0.2, Inf], [7, 11, 15], 0.5, 0.1125 },
        { "by instance ins2 q=0.5", [0.1, 0.2, Inf], [6, 12, 15], 0.5, 0.125 },
        { "job1 ins1 q=0.3", [0.1, 0.2, Inf], [1, 3, 4], 0.3, 0.11 },
        { "job1 ins2 q=0.3", [0.1, 0.2, Inf], [2, 5, 6], 0.3, 0.09 },
        { "job1 ins2 q=0.5", [0.1, 0.2, Inf], [2, 5, 6], 0.5, 0.13333333333333333 },
        { "job2 ins1 q=0.3", [0.1, 0.2, Inf], [3, 4, 6], 0.3, 0.06 },
        { "job2 ins2 q=0.3", [0.1, 0.2, Inf], [4, 7, 9], 0.3, 0.0675 },
        { "job2 ins2 q=0.5", [0.1, 0.2, Inf], [4, 7, 9], 0.5, 0.11666666666666667 },
        // nonmonotonic_bucket at 50m (eval_info: needed a monotonicity fix).
        { "nonmonotonic q=0.01", [0.1, 1, 10, 100, 1000, Inf], [20, 10, 50, 40, 90, 80], 0.01, 0.0045 },
        { "nonmonotonic q=0.5", [0.1, 1, 10, 100, 1000, Inf], [20, 10, 50, 40, 90, 80], 0.5, 8.5 },
        { "nonmonotonic q=0.99", [0.1, 1, 10, 100, 1000, Inf], [20, 10, 50, 40, 90, 80], 0.99, 979.75 },
        // mixed_bucket: le 0.1, 0.2, 2e-1, 2.0e-1, +Inf (ins1) and +inf, +Inf (ins2).
        { "mixed ins1 q=0.5", [0.1, 0.2, 2e-1, 2.0e-1, Inf], [1, 1, 1, 1, 4], 0.5, 0.15 },
        { "mixed ins1 q=0.75", [0.1, 0.2, 2e-1, 2.0e-1, Inf], [1, 1, 1, 1, 4], 0.75, 0.2 },
        { "mixed ins1 q=1", [0.1, 0.2, 2e-1, 2.0e-1, Inf], [1, 1, 1, 1, 4], 1, 0.2 },
        { "mixed ins2 q=0.5", [Inf, Inf], [0, 0], 0.5, double.NaN },
        // empty_bucket and const_histogram: no observations.
        { "empty_bucket q=0.2", [0.1, 0.2, Inf], [0, 0, 0], 0.2, double.NaN },
        { "const_histogram rate q=1", [0, 1, 2, Inf], [0, 0, 0, 0], 1, double.NaN },
    };

    [Theory]
    [MemberData(nameof(PrometheusCases))]
    public void Matches_prometheus_histograms_test(string name, double[] bounds, double[] counts, double q,
        double expected)
    {
        _ = name;
        ShouldMatch(HistogramQuantile.Compute(q, Buckets(bounds, counts)), expected);
    }

    [Fact]
    public void Nonmonotonic_prometheus_case_reports_forced_monotonicity()
    {
        HistogramQuantile.Compute(0.5, Buckets([0.1, 1, 10, 100, 1000, Inf], [20, 10, 50, 40, 90, 80]), out var forced)
            .Should().BeApproximately(8.5, 8.5 * 1e-12);
        forced.Should().BeTrue();
    }

    /// <summary>
    /// <c>TestBucketQuantile_ForcedMonotonicity</c> from prometheus/prometheus, promql/quantile_test.go (read at
    /// commit 027bf131b3a14a20609247567db40b18ba63be99): six bucket sets × four quantiles with the expected
    /// forced/fixed flags, compared with <c>InEpsilon(1e-12)</c> as there.
    /// </summary>
    public static TheoryData<string, double[], double[], bool, double, double> ForcedMonotonicityCases()
    {
        double[] simpleBounds = [10, 15, 20, 30, Inf];
        double[] simple = [10, 15, 15, 15, 15];
        double[] simpleNudged = [10, 15, 15.00000000001, 15, 15];
        double[] realBounds = [1, 5, 10, 25, 50, 64, 80, 100, 250, 1000, Inf];
        double[] real =
        [
            6454661.3014166197, 8339611.2001912938, 14118319.2444762159, 14130031.5272856522, 46001270.3030008152,
            46008473.8585563600, 46008473.8585563600, 46008473.8585563600, 46008473.8585563600, 46008473.8585563600,
            46008473.8585563600,
        ];
        double[] realNudged =
        [
            6454661.3014166225, 8339611.2001912957, 14118319.2444762159, 14130031.5272856504, 46001270.3030008227,
            46008473.8585563824, 46008473.8585563898, 46008473.8585563824, 46008473.8585563824, 46008473.8585563898,
            46008473.8585563824,
        ];
        double[] real2Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, Inf];
        double[] real2 =
        [
            9.6, 9.688888889, 9.755555556, 9.844444444, 9.888888889, 9.888888889, 9.888888889, 9.888888889,
            9.888888889, 9.888888889, 9.888888889, 9.888888889, 9.888888889, 9.888888889, 9.888888889,
        ];
        double[] real2Nudged =
        [
            9.6, 9.688888889, 9.755555556, 9.844444444, 9.888888889, 9.888888889, 9.888888889, 9.888888889,
            9.888888889, 9.888888889, 9.888888889001, 9.888888889, 9.888888888999, 9.888888889, 9.888888889,
        ];

        var data = new TheoryData<string, double[], double[], bool, double, double>();
        void Add(string name, double[] bounds, double[] counts, bool fixedPrecision, (double Q, double Expected)[] values)
        {
            foreach (var (q, expected) in values)
            {
                data.Add(name, bounds, counts, fixedPrecision, q, expected);
            }
        }

        (double, double)[] simpleValues = [(1, 15), (0.99, 14.85), (0.9, 13.5), (0.5, 7.5)];
        (double, double)[] realValues =
            [(1, 64), (0.99, 49.64475715376406), (0.9, 46.39671690938454), (0.5, 31.96098248992002)];
        (double, double)[] real2Values =
            [(1, 0.1), (0.99, 0.03468750000281261), (0.9, 0.00463541666671875), (0.5, 0.0025752314815104174)];
        Add("simple - monotonic", simpleBounds, simple, false, simpleValues);
        Add("simple - non-monotonic middle", simpleBounds, simpleNudged, true, simpleValues);
        Add("real example - monotonic", realBounds, real, false, realValues);
        Add("real example - non-monotonic", realBounds, realNudged, true, realValues);
        Add("real example 2 - monotonic", real2Bounds, real2, false, real2Values);
        Add("real example 2 - non-monotonic", real2Bounds, real2Nudged, true, real2Values);
        return data;
    }

    [Theory]
    [MemberData(nameof(ForcedMonotonicityCases))]
    public void Matches_prometheus_forced_monotonicity_test(string name, double[] bounds, double[] counts,
        bool expectedFixedPrecision, double q, double expected)
    {
        _ = name;
        var result = HistogramQuantile.Compute(q, Buckets(bounds, counts), out var forced, out var fixedPrecision);

        ShouldMatch(result, expected);
        forced.Should().BeFalse();
        fixedPrecision.Should().Be(expectedFixedPrecision);
    }
}
