using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Readers.AccessLogs;

namespace Gunicorn.Insights.Readers.Tests.AccessLogs;

public sealed class TrafficStatisticsTests
{
    [Fact]
    public void Status_counts_hold_every_run_of_statuses_including_the_last()
    {
        var stats = new TrafficStatistics("/orders", null, compact: true);
        int[] statuses = [200, 200, 200, 404, 200, 500, 500, 200, 200, 502];
        for (var i = 0; i < statuses.Length; i++)
        {
            stats.Add(i + 1, null, statuses[i], null);
        }

        stats.Add(11, null, null, null);

        var summary = stats.ToSummary(new SourceLocation("access.log"));

        summary.Requests.Should().Be(11);
        summary.StatusCounts.Should().Equal(new Dictionary<int, long> { [200] = 6, [404] = 1, [500] = 2, [502] = 1 });
    }

    [Fact]
    public void Folding_adds_the_statuses_still_being_counted_on_both_sides()
    {
        var path = new TrafficStatistics("/a", null, compact: true);
        var other = new TrafficStatistics(GunicornAccessLogReader.OtherPath, null, compact: true);
        path.Add(1, null, 200, null);
        path.Add(2, null, 200, null);
        other.Add(3, null, 200, null);
        other.Add(4, null, 503, null);

        path.FoldInto(other);
        other.Add(5, null, 503, null);

        other.ToSummary(new SourceLocation("access.log")).StatusCounts.Should().Equal(new Dictionary<int, long> { [200] = 3, [503] = 2 });
    }
}
