using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.WorkerLifecycle;

public sealed class TimeoutTooLowRuleTests
{
    [Fact]
    public void Timeouts_with_no_timeout_setting_fire_critical_and_name_the_default()
    {
        var session = BuiltInRules.Analyze(Observe.WorkerTimeouts(4, [7685, 7690, 7702]));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI1002").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Critical);
        diagnosis.Message.Should().Be(
            "4 WORKER TIMEOUT line(s) killed 3 worker(s) while the worker timeout was 30 s (Gunicorn's default: no timeout setting was found); "
            + "a sync worker does not heartbeat while it handles a request, so every request slower than 30 s is aborted with its worker; "
            + "set the timeout above the slowest legitimate request (e.g. --timeout 120)");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:17", "gunicorn defaults");
    }

    [Fact]
    public void An_explicit_timeout_below_the_minimum_is_cited_where_it_was_set()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685]),
            Observe.Gunicorn("timeout", SettingValue.Seconds(20), "/etc/systemd/system/gunicorn.service", 9, SettingOrigin.CommandLine, writtenAs: "-t"));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI1002").Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "2 WORKER TIMEOUT line(s) killed 1 worker(s) while the worker timeout was 20 s "
            + "(timeout = 20 (as -t) at /etc/systemd/system/gunicorn.service:9, below the 60 s minimum); "
            + "a sync worker does not heartbeat while it handles a request, so every request slower than 20 s is aborted with its worker; "
            + "set the timeout above the slowest legitimate request (e.g. --timeout 120)");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:17", "/etc/systemd/system/gunicorn.service:9");
    }

    [Fact]
    public void With_gevent_workers_the_message_says_the_event_loop_stalled_rather_than_a_request_ran_long()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(1, [7685]),
            Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 2));

        session.Diagnoses.Where(d => d.Id == "GI1002").Should().ContainSingle().Which.Message.Should().EndWith(
            "; with gevent workers a timeout means the worker's main loop could not run for 30 s (CPU-bound or non-yielding code), "
            + "so a higher timeout (e.g. --timeout 120) only helps if that stall is legitimate");
    }

    [Theory]
    [InlineData(60)]
    [InlineData(120)]
    public void Timeouts_with_an_explicit_timeout_at_or_above_the_minimum_do_not_fire(long seconds)
    {
        var session = BuiltInRules.Analyze(Observe.WorkerTimeouts(3, [7685]), Observe.Gunicorn("timeout", SettingValue.Seconds(seconds)));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI1002");
        session.Diagnoses.Should().Contain(d => d.Id == "GI1001");
    }

    [Fact]
    public void A_default_timeout_without_any_timeout_lines_does_not_fire()
    {
        var session = BuiltInRules.Analyze(Observe.Gunicorn("workers", SettingValue.Integer(3)));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI1002");
    }

    [Fact]
    public void The_minimum_timeout_is_a_parameter()
    {
        var session = BuiltInRules.Factory.CreateSession(
            new InsightConfiguration(parameters: new Dictionary<string, string> { ["GI1002.minimum-timeout"] = "180s" }));
        session.InsertAll([Observe.WorkerTimeouts(1, [7685]), Observe.Gunicorn("timeout", SettingValue.Seconds(120), line: 4)]);
        session.Fire();

        session.Diagnoses.Where(d => d.Id == "GI1002").Should().ContainSingle().Which.Message.Should().Contain(
            "(timeout = 120 at gunicorn.conf.py:4, below the 180 s minimum)");
    }
}
