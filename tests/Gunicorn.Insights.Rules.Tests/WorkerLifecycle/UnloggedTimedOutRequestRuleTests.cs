using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.WorkerLifecycle;

public sealed class UnloggedTimedOutRequestRuleTests
{
    private const string Tail =
        ": Gunicorn writes a request's access line only after its response, so the requests the timeouts killed left no line "
        + "with their URI; the proxy's access log (a 502 at the time of a timeout) or a stack dumped on abort would name them";

    [Fact]
    public void Timeouts_without_any_access_log_and_no_accesslog_setting_fire()
    {
        var session = BuiltInRules.Analyze(Observe.WorkerTimeouts(3, [7685, 7690]));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI1003").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be(
            "3 WORKER TIMEOUT line(s) for 2 worker(s), but no access log or per-path request metric of this instance was supplied "
            + "(accesslog is not set, and Gunicorn keeps no access log by default)" + Tail);
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:17", "gunicorn defaults");
    }

    [Fact]
    public void A_configured_access_log_that_was_not_supplied_is_named_with_its_missing_request_time()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(1, [7685]),
            Observe.Gunicorn("accesslog", SettingValue.FromText("/var/log/gunicorn/access.log"), line: 6));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI1003").Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "1 WORKER TIMEOUT line(s) for 1 worker(s), but no access log or per-path request metric of this instance was supplied "
            + "(accesslog is /var/log/gunicorn/access.log at gunicorn.conf.py:6: supply that log, and its access_log_format has no "
            + "request time such as rt=%(L)s)" + Tail);
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:17", "gunicorn defaults", "gunicorn.conf.py:6");
    }

    [Fact]
    public void A_proxy_access_log_of_the_instance_names_the_requests_so_the_rule_stays_silent()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685], instance: "web-1"),
            Observe.Traffic(900, new Dictionary<int, long> { [200] = 897, [502] = 3 }, logger: "nginx", file: "nginx-access.log", instance: "web-1"));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI1003");
    }

    [Fact]
    public void A_per_path_request_metric_silences_it_but_an_overall_histogram_does_not()
    {
        var perPath = BuiltInRules.Analyze(Observe.WorkerTimeouts(1, [7685]),
            Observe.Durations(path: "/reports", buckets: [(1, 10), (30, 12), (double.PositiveInfinity, 12)]));
        var overall = BuiltInRules.Analyze(Observe.WorkerTimeouts(1, [7685]),
            Observe.Durations(buckets: [(1, 10), (30, 12), (double.PositiveInfinity, 12)]));

        perPath.Diagnoses.Should().NotContain(d => d.Id == "GI1003");
        overall.Diagnoses.Should().ContainSingle(d => d.Id == "GI1003");
    }

    [Fact]
    public void Another_instances_access_log_does_not_count()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685], instance: "web-1"),
            Observe.Traffic(900, instance: "web-2"));

        session.Diagnoses.Where(d => d.Id == "GI1003").Should().ContainSingle().Which.Instance.Should().Be("web-1");
    }
}
