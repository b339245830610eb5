using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Metrics;

namespace Gunicorn.Insights.Rules.Tests.Latency;

public sealed class QueueTimeExcludedRuleInsufficientEvidenceTests
{
    private const double Inf = double.PositiveInfinity;

    private static RequestDurationHistogram Durations(string metric, int line, params (double UpperBound, double Count)[] buckets) =>
        RequestDurationHistogram.FromUpperBoundsInSeconds(metric, buckets, new SourceLocation("metrics/web-1.prom", line));

    [Fact]
    public void A_proxy_gap_seen_over_too_few_requests_reports_insufficient_evidence()
    {
        // Gunicorn: 1000 requests, P95 0.5 s. nginx: 50 requests, P95 rank 47.5 in the 2.5–5 s bucket: 2.5 + 2.5 × 2.5/5 = 3.75 s.
        var session = BuiltInRules.Analyze(
            Durations("gunicorn_request_duration_seconds", 5, (0.1, 300), (0.25, 700), (0.5, 950), (1, 990), (2.5, 1000), (Inf, 1000)),
            Durations("nginx_upstream_response_time_seconds", 9, (0.5, 30), (1, 40), (2.5, 45), (5, 50), (Inf, 50)));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI3003");
        var note = session.Diagnoses.Should().ContainSingle(d => d.Id == "GI0003" && d.Message.StartsWith("GI3003", StringComparison.Ordinal)).Subject;
        note.Message.Should().Be("GI3003 Request duration metric excludes socket accept queue time could not conclude: "
            + "nginx_upstream_response_time_seconds shows a P95 of 3.75 s over 50 requests against Gunicorn's 500 ms over 1000 requests, 3.25 s that Gunicorn never sees; "
            + "both sides need at least 100 requests to compare their P95: supply a longer window, or lower GI3003.min-requests");
        note.Evidence.Select(e => e.Location.ToString()).Should().Equal("metrics/web-1.prom:9", "metrics/web-1.prom:5", "gunicorn defaults");
    }

    [Fact]
    public void Few_requests_on_both_sides_without_a_gap_are_not_reported()
    {
        var session = BuiltInRules.Analyze(
            Durations("gunicorn_request_duration_seconds", 5, (0.1, 30), (0.5, 40), (Inf, 40)),
            Durations("nginx_upstream_response_time_seconds", 9, (0.1, 29), (0.5, 40), (Inf, 40)));

        session.Diagnoses.Where(d => d.Message.StartsWith("GI3003", StringComparison.Ordinal) || d.Id == "GI3003").Should().BeEmpty();
    }
}
