using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Metrics;

namespace Gunicorn.Insights.Rules.Tests.Latency;

public sealed class RequestDurationRiseRuleInsufficientEvidenceTests
{
    private const double Inf = double.PositiveInfinity;

    private static RequestDurationHistogram Window(DateTimeOffset end, int line, params (double UpperBound, double Count)[] buckets) =>
        RequestDurationHistogram.FromUpperBoundsInSeconds("gunicorn_request_duration_seconds", buckets, new SourceLocation("metrics/web-1.prom", line)) with
        {
            Timestamp = end,
        };

    [Fact]
    public void A_rise_between_windows_with_too_few_requests_reports_insufficient_evidence()
    {
        // 1000 requests with P95 0.5 s, then 40 requests with P95 2.5 s (rank 38 is the 2.5 s bucket's count).
        var session = BuiltInRules.Analyze(
            Window(Observe.Incident.AddHours(-1), 3, (0.1, 300), (0.25, 700), (0.5, 950), (1, 990), (2.5, 1000), (Inf, 1000)),
            Window(Observe.Incident, 40, (0.1, 4), (0.25, 10), (0.5, 20), (1, 30), (2.5, 38), (5, 40), (Inf, 40)));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI3002");
        var note = session.Diagnoses.Should().ContainSingle(d => d.Id == "GI0003" && d.Message.StartsWith("GI3002", StringComparison.Ordinal)).Subject;
        note.Message.Should().Be("GI3002 Elevated request duration indicates performance degradation could not conclude: "
            + "Request duration (gunicorn_request_duration_seconds) rose (P95 500 ms → 2.5 s, P50 175 ms → 500 ms) but the windows hold only 1000 and 40 requests; "
            + "each window needs at least 100 requests: compare longer windows, or lower GI3002.min-requests");
        note.Evidence.Select(e => e.Location.ToString()).Should().Equal("metrics/web-1.prom:3", "metrics/web-1.prom:40");
    }

    [Fact]
    public void Few_requests_without_a_rise_are_not_reported()
    {
        var session = BuiltInRules.Analyze(
            Window(Observe.Incident.AddHours(-1), 3, (0.1, 30), (0.5, 40), (Inf, 40)),
            Window(Observe.Incident, 40, (0.1, 31), (0.5, 40), (Inf, 40)));

        session.Diagnoses.Where(d => d.Message.StartsWith("GI3002", StringComparison.Ordinal)).Should().BeEmpty();
    }
}
