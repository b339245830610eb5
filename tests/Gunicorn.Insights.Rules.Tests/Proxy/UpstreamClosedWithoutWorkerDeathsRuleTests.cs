using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Logs;

namespace Gunicorn.Insights.Rules.Tests.Proxy;

public sealed class UpstreamClosedWithoutWorkerDeathsRuleTests
{
    private const string Subject = "GI4003 Long-running requests terminated by worker timeout";

    [Fact]
    public void Prematurely_closed_upstreams_without_any_worker_death_say_the_gunicorn_error_log_would_confirm_it()
    {
        var session = BuiltInRules.Analyze(UpstreamClosedByWorkerTimeoutRuleTests.PrematureCloses(4));

        session.Diagnoses.Where(d => d.Id == "GI4003").Should().BeEmpty();
        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(Subject, StringComparison.Ordinal)).Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            $"{Subject} could not conclude: nginx logged 4 'upstream prematurely closed connection' line(s) and 0 502 response(s), "
            + "but the input has no WORKER TIMEOUT or SIGKILL line for this instance; Gunicorn's error log for the same period would "
            + "confirm the cause: '[CRITICAL] WORKER TIMEOUT (pid:N)' or 'Worker (pid:N) was sent SIGKILL!' lines there mean the "
            + "workers were killed mid-request");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("/var/log/nginx/error.log:210");
    }

    [Fact]
    public void A_sigkill_on_the_instance_is_a_worker_death_and_leaves_the_question_to_other_rules()
    {
        var session = BuiltInRules.Analyze(
            UpstreamClosedByWorkerTimeoutRuleTests.PrematureCloses(4),
            Observe.Worker(LogSignatureKind.WorkerSigkill, 7701, Observe.Incident, 40));

        session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(Subject, StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Fact]
    public void With_worker_timeouts_there_is_nothing_missing()
    {
        var session = BuiltInRules.Analyze(UpstreamClosedByWorkerTimeoutRuleTests.PrematureCloses(4), Observe.WorkerTimeouts(2, [7685]));

        session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(Subject, StringComparison.Ordinal)).Should().BeEmpty();
    }
}
