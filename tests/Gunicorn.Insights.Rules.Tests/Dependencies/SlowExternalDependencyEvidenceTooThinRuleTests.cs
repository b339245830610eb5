namespace Gunicorn.Insights.Rules.Tests.Dependencies;

public sealed class SlowExternalDependencyEvidenceTooThinRuleTests
{
    [Fact]
    public void A_saturated_pool_with_an_external_heavy_transaction_seen_in_too_few_requests_is_insufficient_evidence()
    {
        var session = BuiltInRules.Analyze([
            .. Observe.Busy(5, 5, 5, 4, 5, 5, 3),
            Observe.Timing("/quotes/", 7, 6.2, cpuSeconds: 0.3, databaseSeconds: 0.2, externalSeconds: 5.6)]);

        session.Diagnoses.Where(d => d.Id == "GI6002").Should().BeEmpty();
        var diagnosis = session.InsufficientEvidenceFor("GI6002").Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "GI6002 Slow external dependencies cause worker saturation and cascading failures could not conclude: the worker pool was "
            + "saturated (all 5 workers busy in 4 of 6 samples (66.7 %)) and '/quotes/' spent 5.6 s of its 6.2 s average request in external "
            + "calls (90.3 %), but over only 7 request(s), fewer than 20; supply timings covering at least 20 requests of the slow transactions "
            + "(APM transaction traces for a longer period), or py-spy dump --pid PID --subprocesses of a busy worker before it times out");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "access.log:1", "access.log:2", "access.log:4", "gunicorn defaults", "newrelic-transactions.csv:2");
    }

    [Fact]
    public void A_thin_transaction_that_does_not_wait_on_external_calls_says_nothing()
    {
        var session = BuiltInRules.Analyze([
            .. Observe.Busy(5, 5, 5, 4, 5, 5, 3),
            Observe.Timing("/quotes/", 7, 6.2, cpuSeconds: 5.6, databaseSeconds: 0.2, externalSeconds: 0.3)]);

        session.InsufficientEvidenceFor("GI6002").Should().BeEmpty();
    }
}
