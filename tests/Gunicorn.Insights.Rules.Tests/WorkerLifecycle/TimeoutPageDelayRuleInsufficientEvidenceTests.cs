using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Tests.WorkerLifecycle;

public sealed class TimeoutPageDelayRuleInsufficientEvidenceTests
{
    private static Diagnosis[] Undecided(Engine.RuleSession session) =>
        [.. session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith("GI1004 ", StringComparison.Ordinal))];

    [Fact]
    public void Too_few_requests_report_insufficient_evidence_instead_of_a_page_delay()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685, 7690]),
            Observe.Durations(buckets: [(1, 30), (20, 34), (30, 40), (double.PositiveInfinity, 40)]));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI1004");
        var diagnosis = Undecided(session).Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            "GI1004 Gunicorn worker timeout causes 20-30 second page delays could not conclude: the request-duration histogram holds only "
            + "40 request(s), fewer than the 100 needed to tell a share of requests near the 30 s timeout from chance, while 3 WORKER TIMEOUT "
            + "line(s) for 2 worker(s), timeout 30 s; supply a histogram (or access log with rt=%(L)s) covering at least 100 requests, e.g. a "
            + "longer window");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("prometheus", "error.log:17", "gunicorn defaults");
    }

    [Fact]
    public void Buckets_that_end_below_the_band_cannot_tell_and_say_which_buckets_to_add()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685]),
            Observe.Durations(buckets: [(0.5, 800), (2.5, 900), (10, 950), (double.PositiveInfinity, 1000)]));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI1004");
        Undecided(session).Should().ContainSingle().Which.Message.Should().Be(
            "GI1004 Gunicorn worker timeout causes 20-30 second page delays could not conclude: the request-duration histogram (1000 requests) "
            + "ends at a 10 s bucket, so it cannot tell whether its 50 requests slower than that took 20 s to 30 s or less, while 2 WORKER TIMEOUT line(s) "
            + "for 1 worker(s), timeout 30 s; supply a histogram with buckets up to and beyond the 30 s timeout (e.g. 20 s, 30 s and twice that), "
            + "or the access log with rt=%(L)s");
    }

    [Fact]
    public void Coarse_buckets_with_nothing_beyond_them_conclude_there_is_no_cluster()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685]),
            Observe.Durations(buckets: [(0.5, 800), (2.5, 900), (10, 1000), (double.PositiveInfinity, 1000)]));

        Undecided(session).Should().BeEmpty();
        session.Diagnoses.Should().NotContain(d => d.Id == "GI1004");
    }

    [Fact]
    public void Without_any_histogram_the_rule_stays_silent()
    {
        var session = BuiltInRules.Analyze(Observe.WorkerTimeouts(2, [7685]));

        Undecided(session).Should().BeEmpty();
    }
}
