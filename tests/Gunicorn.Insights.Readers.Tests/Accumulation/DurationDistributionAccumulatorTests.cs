using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Readers.Accumulation;

namespace Gunicorn.Insights.Readers.Tests.Accumulation;

public sealed class DurationDistributionAccumulatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_histogram_spans_from_the_earliest_to_the_latest_request_whatever_their_order()
    {
        var accumulator = new DurationDistributionAccumulator();
        accumulator.Add(TimeSpan.FromMilliseconds(120), Start.AddMinutes(10));
        accumulator.Add(TimeSpan.FromMilliseconds(80), Start);
        accumulator.Add(TimeSpan.FromMilliseconds(95), Start.AddMinutes(42));
        accumulator.Add(TimeSpan.FromMilliseconds(60), Start.AddMinutes(5));

        var histogram = accumulator.ToHistogram("duration", new SourceLocation("access.log", 1))!;

        histogram.Timestamp.Should().Be(Start);
        histogram.Window.Should().Be(TimeSpan.FromMinutes(42));
        histogram.Count.Should().Be(4);
    }

    [Fact]
    public void Every_duration_lands_in_the_two_percent_bucket_the_logarithm_names_even_next_to_a_bound()
    {
        var checkedDurations = 0;
        for (var bucket = 0; bucket < 1_300; bucket += 7)
        {
            var bound = 1e-6 * Math.Pow(1.02, bucket);
            var ticks = (long)Math.Round(bound * TimeSpan.TicksPerSecond);
            for (var delta = -1L; delta <= 1; delta++)
            {
                var duration = TimeSpan.FromTicks(Math.Max(0, ticks + delta));
                var seconds = duration.TotalSeconds;
                var index = seconds <= 1e-6 ? 0 : Math.Min(1_273, (int)Math.Ceiling(Math.Log(seconds / 1e-6) / Math.Log(1.02)));
                var accumulator = new DurationDistributionAccumulator();
                accumulator.Add(duration);

                var histogram = accumulator.ToHistogram("duration", new SourceLocation("access.log", 1))!;

                histogram.Buckets.First(b => b.CumulativeCount == 1).UpperBound.Should().Be(1e-6 * Math.Pow(1.02, index), $"{duration.Ticks} ticks");
                checkedDurations++;
            }
        }

        checkedDurations.Should().Be(558);
    }

    [Fact]
    public void Memory_does_not_grow_with_the_time_span_of_the_requests()
    {
        var accumulator = new DurationDistributionAccumulator();
        accumulator.Add(TimeSpan.FromMilliseconds(50), Start);

        // A month of requests, one a minute: each minute used to cost a dictionary entry in every distribution.
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var minute = 1; minute <= 31 * 24 * 60; minute++)
        {
            accumulator.Add(TimeSpan.FromMilliseconds(50 + (minute % 100)), Start.AddMinutes(minute));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(1024, "adding a duration allocates nothing");
        accumulator.Count.Should().Be(31 * 24 * 60 + 1);
    }
}
