using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Tests.Dependencies;

public sealed class DatabaseBottleneckEvidenceTooThinRuleTests
{
    [Fact]
    public void A_database_heavy_transaction_seen_in_too_few_requests_is_insufficient_evidence()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(4, [7685]),
            Observe.Timing("/reports/", 3, 26.4, cpuSeconds: 1.1, databaseSeconds: 24.2, externalSeconds: 0.3));

        session.Diagnoses.Where(d => d.Id == "GI6003").Should().BeEmpty();
        var diagnosis = session.InsufficientEvidenceFor("GI6003").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            "GI6003 Database bottlenecks cause worker timeouts could not conclude: Gunicorn logged 4 WORKER TIMEOUT line(s) (timeout 30 s) and "
            + "'/reports/' spent 24.2 s of its 26.4 s average request in database queries (91.7 %), but over only 3 request(s), fewer than 20; "
            + "supply timings covering at least 20 requests of the slow transactions (APM transaction traces for a longer period), or "
            + "py-spy dump --pid PID --subprocesses of a busy worker before it times out");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:17", "gunicorn defaults", "newrelic-transactions.csv:2");
    }

    [Fact]
    public void A_thin_transaction_says_nothing_when_another_one_with_enough_requests_concludes()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(4, [7685]),
            Observe.Timing("/reports/", 3, 26.4, cpuSeconds: 1.1, databaseSeconds: 24.2, externalSeconds: 0.3),
            Observe.Timing("/exports/", 80, 14.0, cpuSeconds: 1.0, databaseSeconds: 12.5, externalSeconds: 0, line: 3));

        session.InsufficientEvidenceFor("GI6003").Should().BeEmpty();
        session.Diagnoses.Where(d => d.Id == "GI6003").Should().ContainSingle();
    }

    [Fact]
    public void A_lower_min_requests_parameter_lets_the_rule_conclude()
    {
        var session = BuiltInRules.Factory.CreateSession(new Configuration.InsightConfiguration(parameters: new Dictionary<string, string> { ["GI6003.min-requests"] = "3" }));
        session.InsertAll([
            Observe.WorkerTimeouts(4, [7685]),
            Observe.Timing("/reports/", 3, 26.4, cpuSeconds: 1.1, databaseSeconds: 24.2, externalSeconds: 0.3)]);
        session.Fire();

        session.InsufficientEvidenceFor("GI6003").Should().BeEmpty();
        session.Diagnoses.Where(d => d.Id == "GI6003").Should().ContainSingle();
    }
}
