using Gunicorn.Insights.Readers.Accumulation;

namespace Gunicorn.Insights.Readers.Tests.Accumulation;

public sealed class TimelineAccumulatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Events_out_of_order_and_minutes_revisited_are_counted_in_their_minute()
    {
        var timeline = new TimelineAccumulator();
        int[] seconds = [10, 10, 10, 70, 75, 5, 130, 65, 65, 200, 59, 250, 250];
        foreach (var second in seconds)
        {
            timeline.Add(Start.AddSeconds(second));
        }

        var result = timeline.ToTimeline()!;

        result.Start.Should().Be(Start);
        result.Counts.Should().Equal(5, 4, 1, 1, 2);
        timeline.First.Should().Be(Start.AddSeconds(5));
        timeline.Last.Should().Be(Start.AddSeconds(250));
    }

    [Fact]
    public void An_event_in_another_zone_at_the_same_instant_is_the_same_minute()
    {
        var timeline = new TimelineAccumulator();
        timeline.Add(Start);
        timeline.Add(Start.ToOffset(TimeSpan.FromHours(2)));
        timeline.Add(Start.AddMinutes(1));

        var result = timeline.ToTimeline()!;

        result.Counts.Should().Equal(2, 1);
        timeline.First!.Value.Offset.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Nothing_added_gives_no_timeline()
    {
        new TimelineAccumulator().ToTimeline().Should().BeNull();
    }
}
