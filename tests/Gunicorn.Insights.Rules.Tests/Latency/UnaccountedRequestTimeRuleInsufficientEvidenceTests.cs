namespace Gunicorn.Insights.Rules.Tests.Latency;

public sealed class UnaccountedRequestTimeRuleInsufficientEvidenceTests
{
    [Fact]
    public void A_large_gap_over_too_few_requests_reports_insufficient_evidence()
    {
        var session = BuiltInRules.Analyze(Observe.Timing("reports", 12, totalSeconds: 2.0, cpuSeconds: 0.3, databaseSeconds: 0.2, line: 6));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI3008");
        var note = session.Diagnoses.Should().ContainSingle(d => d.Id == "GI0003" && d.Message.StartsWith("GI3008", StringComparison.Ordinal)).Subject;
        note.Message.Should().Be("GI3008 Large gap between Django CPU time and total request time indicates WSGI layer bottleneck could not conclude: "
            + "transaction reports spends 1.5 s of its 2 s average outside the measured time, but over only 12 requests; "
            + "averages over at least 100 requests are needed: export a longer period of transaction data, or lower GI3008.min-requests");
        note.Evidence.Select(e => e.Location.ToString()).Should().Equal("newrelic-transactions.csv:6");
    }

    [Fact]
    public void Few_requests_without_a_gap_are_not_reported()
    {
        var session = BuiltInRules.Analyze(Observe.Timing("reports", 12, totalSeconds: 2.0, cpuSeconds: 1.5, databaseSeconds: 0.4));

        session.Diagnoses.Where(d => d.Message.StartsWith("GI3008", StringComparison.Ordinal) || d.Id == "GI3008").Should().BeEmpty();
    }
}
