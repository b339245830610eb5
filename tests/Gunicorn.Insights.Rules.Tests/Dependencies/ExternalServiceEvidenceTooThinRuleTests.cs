namespace Gunicorn.Insights.Rules.Tests.Dependencies;

public sealed class ExternalServiceEvidenceTooThinRuleTests
{
    [Fact]
    public void An_external_heavy_transaction_seen_in_too_few_requests_is_insufficient_evidence()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685]),
            Observe.Timing("/checkout/", 5, 12.0, cpuSeconds: 0.4, databaseSeconds: 0.9, externalSeconds: 10.5));

        session.Diagnoses.Where(d => d.Id == "GI6004").Should().BeEmpty();
        session.InsufficientEvidenceFor("GI6004").Should().ContainSingle().Which.Message.Should().Be(
            "GI6004 External service delays trigger worker timeouts could not conclude: Gunicorn logged 2 WORKER TIMEOUT line(s) (timeout 30 s) "
            + "and '/checkout/' spent 10.5 s of its 12 s average request in external calls (87.5 %), but over only 5 request(s), fewer than 20; "
            + "supply timings covering at least 20 requests of the slow transactions (APM transaction traces for a longer period), or "
            + "py-spy dump --pid PID --subprocesses of a busy worker before it times out");
    }

    [Fact]
    public void Without_worker_timeouts_a_thin_transaction_says_nothing()
    {
        var session = BuiltInRules.Analyze(
            Observe.Timing("/checkout/", 5, 12.0, cpuSeconds: 0.4, databaseSeconds: 0.9, externalSeconds: 10.5));

        session.InsufficientEvidenceFor("GI6004").Should().BeEmpty();
    }
}
