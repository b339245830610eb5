using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Proxy;

public sealed class ProxyReadTimeoutBeforeGunicornRuleTests
{
    private static LogSignature UpstreamTimedOut(long count) =>
        Observe.Lines(LogSignatureKind.UpstreamTimedOut, count,
            "2026/11/23 23:46:22 [error] 31#31: *815 upstream timed out (110: Connection timed out) while reading response header "
            + "from upstream, client: 203.0.113.9, request: \"GET /export HTTP/1.1\", upstream: \"http://127.0.0.1:8000/export\"",
            "/var/log/nginx/error.log", 88);

    private static ConfigParameter ReadTimeout(string value) =>
        Observe.Setting(ConfigurationScope.Nginx, "proxy_read_timeout", SettingValue.FromText(value), "/etc/nginx/conf.d/app.conf", 14);

    [Fact]
    public void Nginx_default_read_timeout_below_gunicorns_timeout_fires_and_says_the_worker_keeps_working()
    {
        var session = BuiltInRules.Analyze(UpstreamTimedOut(6), Observe.Gunicorn("timeout", SettingValue.Seconds(120), line: 3));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI4004").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Critical);
        diagnosis.Message.Should().Be(
            "nginx answered 6 request(s) with 504 after waiting its proxy_read_timeout of 60 s (nginx's default), while Gunicorn's "
            + "worker timeout is 120 s; nginx stops waiting no later than Gunicorn's worker timeout, so a request still running keeps "
            + "its sync worker busy for up to 120 s after the client got its 504; busy-worker samples (busy=%({x-busy}i)s in the "
            + "access log format) would show whether requests were instead waiting for a free worker");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("/var/log/nginx/error.log:88", "gunicorn.conf.py:3");
    }

    [Fact]
    public void A_saturated_pool_means_the_504s_waited_in_the_backlog()
    {
        var session = BuiltInRules.Analyze([UpstreamTimedOut(2), ReadTimeout("60s"), .. Observe.Busy(3, 3, 3, 3, 2)]);

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI4004").Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "nginx answered 2 request(s) with 504 after waiting its proxy_read_timeout of 60 s, while Gunicorn's worker timeout is "
            + "30 s (Gunicorn's default); the worker pool was exhausted (all 3 workers busy in 3 of 4 samples (75 %)), so requests "
            + "waited unaccepted in the listen backlog until nginx gave up: Gunicorn's timeout never applies to a request no worker "
            + "has picked up");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "/var/log/nginx/error.log:88", "/etc/nginx/conf.d/app.conf:14", "gunicorn defaults", "access.log:1", "access.log:2",
            "access.log:3", "gunicorn defaults");
    }

    [Fact]
    public void A_sync_worker_timeout_well_below_nginx_means_the_504s_waited_for_a_free_worker()
    {
        var session = BuiltInRules.Analyze(
            Observe.Lines(LogSignatureKind.Http504, 3, "203.0.113.9 - - [23/Nov/2026:23:47:22 +0000] \"GET /export HTTP/1.1\" 504 167 \"-\" \"curl/8.0\"",
                "/var/log/nginx/access.log", 7001),
            ReadTimeout("2m"));

        session.Diagnoses.Where(d => d.Id == "GI4004").Should().ContainSingle().Which.Message.Should().Be(
            "nginx answered 3 request(s) with 504 after waiting its proxy_read_timeout of 120 s, while Gunicorn's worker timeout is "
            + "30 s (Gunicorn's default); a sync worker running one request that long would have been killed by the worker timeout "
            + "first (nginx would log a 502, not a 504), so these requests spent at least 88 s waiting for a free worker in the "
            + "listen backlog; busy-worker samples (busy=%({x-busy}i)s in the access log format) would confirm that the pool was exhausted");
    }

    [Fact]
    public void An_asynchronous_worker_class_is_not_bounded_by_the_worker_timeout()
    {
        var session = BuiltInRules.Analyze(UpstreamTimedOut(1), Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 4));

        session.Diagnoses.Where(d => d.Id == "GI4004").Should().ContainSingle().Which.Message.Should().EndWith(
            "while Gunicorn's worker timeout is 30 s (Gunicorn's default); Gunicorn's timeout does not bound how long a gevent worker "
            + "runs one request, so a request still running keeps working after the client got its 504; busy-worker samples "
            + "(busy=%({x-busy}i)s in the access log format) would show whether requests were instead waiting for a free worker");
    }

    [Fact]
    public void No_504_means_no_diagnosis_even_with_misaligned_timeouts()
    {
        var session = BuiltInRules.Analyze(ReadTimeout("30s"), Observe.Gunicorn("timeout", SettingValue.Seconds(120), line: 3));

        session.Diagnoses.Where(d => d.Id == "GI4004").Should().BeEmpty();
    }

    [Fact]
    public void A_504_in_gunicorns_own_access_log_is_not_a_proxy_timeout()
    {
        var session = BuiltInRules.Analyze(Observe.Traffic(50, new Dictionary<int, long> { [200] = 49, [504] = 1 }));

        session.Diagnoses.Where(d => d.Id == "GI4004").Should().BeEmpty();
    }

    [Fact]
    public void The_504s_of_an_nginx_access_log_are_counted_once_though_its_per_path_summaries_repeat_them()
    {
        var session = BuiltInRules.Analyze(
            UpstreamTimedOut(1),
            Observe.Traffic(3, new Dictionary<int, long> { [200] = 1, [502] = 1, [504] = 1 }, logger: "nginx", file: "/var/log/nginx/access.log"),
            Observe.Traffic(2, new Dictionary<int, long> { [502] = 1, [504] = 1 }, path: "/slow", logger: "nginx", file: "/var/log/nginx/access.log"));

        session.Diagnoses.Where(d => d.Id == "GI4004").Should().ContainSingle()
            .Which.Message.Should().StartWith("nginx answered 1 request(s) with 504 after waiting its proxy_read_timeout of 60 s");
    }
}
