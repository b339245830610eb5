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
