using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Dependencies;

public sealed class ExternalServiceTimeoutRuleTests
{
    [Fact]
    public void Timeouts_with_a_transaction_waiting_on_external_calls_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(6, [7685, 7690, 7702]),
            Observe.Gunicorn("timeout", SettingValue.Seconds(30), line: 5),
            Observe.Timing("/checkout/", 500, 12.0, cpuSeconds: 0.4, databaseSeconds: 0.9, externalSeconds: 10.5));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI6004").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be(
            "Gunicorn logged 6 WORKER TIMEOUT line(s) (timeout 30 s) and '/checkout/' spent 10.5 s of its 12 s average request in external "
            + "calls (87.5 %, over 500 request(s))");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:17", "gunicorn.conf.py:5", "newrelic-transactions.csv:2");
    }

    [Fact]
    public void With_gevent_workers_the_message_says_the_client_blocked_the_event_loop()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(6, [7685]),
            Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 6),
            Observe.Timing("/checkout/", 500, 12.0, cpuSeconds: 0.4, databaseSeconds: 0.9, externalSeconds: 10.5));

        session.Diagnoses.Where(d => d.Id == "GI6004").Should().ContainSingle().Which.Message.Should().EndWith(
            "(87.5 %, over 500 request(s)); with the gevent worker this means the client blocked the event loop (a C extension or an unpatched socket)");
    }

    [Fact]
    public void External_time_that_is_a_small_share_of_the_request_does_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(6, [7685]),
            Observe.Timing("/checkout/", 500, 12.0, cpuSeconds: 9.0, databaseSeconds: 0.9, externalSeconds: 2.1));

        session.Diagnoses.Where(d => d.Id == "GI6004").Should().BeEmpty();
    }

    [Fact]
    public void A_dominant_but_fast_external_call_does_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(6, [7685]),
            Observe.Timing("/api/rates/", 5000, 0.2, cpuSeconds: 0.02, databaseSeconds: 0.01, externalSeconds: 0.17));

        session.Diagnoses.Where(d => d.Id == "GI6004").Should().BeEmpty();
    }

    [Fact]
    public void With_gthread_workers_slow_external_calls_do_not_explain_timeouts()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(6, [7685]),
            Observe.Gunicorn("threads", SettingValue.Integer(8), line: 3),
            Observe.Timing("/checkout/", 500, 12.0, cpuSeconds: 0.4, databaseSeconds: 0.9, externalSeconds: 10.5));

        session.Diagnoses.Where(d => d.Id == "GI6004").Should().BeEmpty();
    }
}
