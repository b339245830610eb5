using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Metrics;

namespace Gunicorn.Insights.Rules.Tests.Latency;

public sealed class HighP95LatencyRuleInsufficientEvidenceTests
{
    private const double Inf = double.PositiveInfinity;

    private static RequestDurationHistogram Durations(params (double UpperBound, double Count)[] buckets) =>
        RequestDurationHistogram.FromUpperBoundsInSeconds("gunicorn_request_duration_seconds", buckets, new SourceLocation("metrics/web-1.prom", 7));

    [Fact]
    public void Too_few_requests_with_a_high_p95_report_insufficient_evidence_instead_of_firing()
    {
        // 40 requests, 4 of them between 2.5 s and 5 s: rank 38 → 2.5 + 2.5 × 2/4 = 3.75 s.
        var session = BuiltInRules.Analyze(Durations((0.5, 30), (1, 34), (2.5, 36), (5, 40), (Inf, 40)));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI3001");
        var note = session.Diagnoses.Should().ContainSingle(d => d.Id == "GI0003" && d.Message.StartsWith("GI3001", StringComparison.Ordinal)).Subject;
        note.Severity.Should().Be(Severity.Info);
        note.Message.Should().Be("GI3001 P95 latency exceeding 2 seconds degrades user experience could not conclude: "
            + "only 40 requests in gunicorn_request_duration_seconds (P95 3.75 s); "
            + "at least 100 are needed for a stable P95: supply a longer window, or lower GI3001.min-requests");
        note.Evidence.Select(e => e.Location.ToString()).Should().Equal("metrics/web-1.prom:7");
    }

    [Fact]
    public void Buckets_that_end_below_the_limit_cannot_show_whether_the_p95_exceeds_it()
    {
        // 1000 requests, 100 above the highest bound of 1 s: the P95 is only known to be above 1 s.
        var session = BuiltInRules.Analyze(Durations((0.1, 600), (0.5, 850), (1, 900), (Inf, 1000)));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI3001");
        session.Diagnoses.Should().ContainSingle(d => d.Id == "GI0003" && d.Message.StartsWith("GI3001", StringComparison.Ordinal)).Which.Message.Should().Be(
            "GI3001 P95 latency exceeding 2 seconds degrades user experience could not conclude: "
            + "the P95 over 1000 requests in gunicorn_request_duration_seconds lies beyond the highest bucket bound, 1 s, which is below the 2 s limit; "
            + "add buckets that reach past the limit, e.g. http_request_duration_seconds.buckets [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]");
    }

    [Fact]
    public void Few_requests_that_are_all_fast_are_not_reported()
    {
        var session = BuiltInRules.Analyze(Durations((0.1, 35), (0.5, 40), (1, 40), (Inf, 40)));

        session.Diagnoses.Where(d => d.Id == "GI3001" || d.Message.StartsWith("GI3001", StringComparison.Ordinal)).Should().BeEmpty();
    }
}
