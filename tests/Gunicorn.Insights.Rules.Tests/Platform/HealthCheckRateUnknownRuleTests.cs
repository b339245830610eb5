using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Tests.Platform;

public sealed class HealthCheckRateUnknownRuleTests
{
    private const string Subject = "GI5003 Frequent health checks trigger unnecessary worker kills";

    [Fact]
    public void Too_few_health_checks_report_insufficient_evidence()
    {
        var session = BuiltInRules.Analyze(HealthCheckWorkerKillsRuleTests.Checks(5, "/healthz"), Observe.WorkerTimeouts(2, [7685]));

        session.Diagnoses.Where(d => d.Id == "GI5003").Should().BeEmpty();
        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(Subject, StringComparison.Ordinal)).Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            $"{Subject} could not conclude: sync workers were killed (Gunicorn logged 2 WORKER TIMEOUT line(s) (worker timeout 30 s)) "
            + "and health checks reach them (5 request(s) to /healthz over 10 min), too few or too short to tell how frequent the "
            + "checks are; supply an access log with timestamps covering at least 20 health checks (or the load balancer's probe "
            + "interval and timeout)");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("/var/log/nginx/access.log:1", "error.log:17", "gunicorn defaults");
    }

    [Fact]
    public void Enough_health_checks_let_the_rule_itself_decide()
    {
        var session = BuiltInRules.Analyze(HealthCheckWorkerKillsRuleTests.Checks(1200), Observe.WorkerTimeouts(2, [7685]));

        session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(Subject, StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Fact]
    public void Without_worker_deaths_there_is_no_question_to_answer()
    {
        var session = BuiltInRules.Analyze(HealthCheckWorkerKillsRuleTests.Checks(5, "/healthz"));

        session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(Subject, StringComparison.Ordinal)).Should().BeEmpty();
    }
}
