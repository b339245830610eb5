using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Latency;

public sealed class QueueTimeExcludedRuleTests
{
    private const double Inf = double.PositiveInfinity;

    /// <summary>1000 requests, P95 0.5 s.</summary>
    private static readonly (double, double)[] Fast = [(0.1, 300), (0.25, 700), (0.5, 950), (1, 990), (2.5, 1000), (Inf, 1000)];

    /// <summary>1000 requests, P95 2.5 + 2.5 × 10/50 = 3 s.</summary>
    private static readonly (double, double)[] Slow = [(0.1, 500), (0.25, 700), (0.5, 800), (1, 900), (2.5, 940), (5, 990), (10, 1000), (Inf, 1000)];

    private static RequestDurationHistogram Durations(string metric, int line, (double, double)[] buckets) =>
        RequestDurationHistogram.FromUpperBoundsInSeconds(metric, buckets, new SourceLocation("metrics/web-1.prom", line));

    private static object[] SaturatedPool() =>
        [Observe.Gunicorn("workers", SettingValue.Integer(4), line: 3), .. Observe.Busy(4, 4, 4, 4, 2, 4, 1)];

    private static IEnumerable<Diagnosis> Gi3003(params object[] facts) =>
        BuiltInRules.Analyze(facts).Diagnoses.Where(d => d.Id == "GI3003");

    [Fact]
    public void A_saturated_pool_measured_only_by_gunicorns_histogram_fires()
    {
        var diagnosis = Gi3003([.. SaturatedPool(), Durations("gunicorn_request_duration_seconds", 5, Fast)]).Should().ContainSingle().Subject;

        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be("Gunicorn's request duration (gunicorn_request_duration_seconds) starts only after a worker accepts the connection, "
            + "so time spent waiting in the listen backlog (backlog 2048) is not in it: "
            + "all 4 workers busy in 4 of 6 samples (66.7 %), so requests that arrived then waited where this metric cannot see them; "
            + "no proxy-side timing was found to show the wait: log nginx's $upstream_response_time and $request_time");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "access.log:1", "access.log:2", "access.log:3", "gunicorn.conf.py:3", "metrics/web-1.prom:5", "gunicorn defaults");
    }

    [Fact]
    public void A_saturated_pool_timed_by_the_access_log_names_the_atom()
    {
        var diagnosis = Gi3003([
            .. SaturatedPool(),
            Observe.Gunicorn("accesslog", SettingValue.FromText("-"), line: 5),
            Observe.Gunicorn("access_log_format", SettingValue.FromText("%(h)s \"%(r)s\" %(s)s rt=%(L)s busy=%({x-busy}i)s"), line: 6),
        ]).Should().ContainSingle().Subject;

        diagnosis.Message.Should().StartWith("Gunicorn's request duration (the access log's %(L)s) starts only after a worker accepts the connection");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Contain(["gunicorn.conf.py:5", "gunicorn.conf.py:6"]);
    }

    [Fact]
    public void A_proxy_p95_far_above_gunicorns_fires_with_both_values()
    {
        var diagnosis = Gi3003(
            Durations("gunicorn_request_duration_seconds", 5, Fast),
            Durations("nginx_upstream_response_time_seconds", 9, Slow)).Should().ContainSingle().Subject;

        diagnosis.Message.Should().Be("Gunicorn's request duration (gunicorn_request_duration_seconds) starts only after a worker accepts the connection, "
            + "so time spent waiting in the listen backlog (backlog 2048) is not in it: "
            + "nginx_upstream_response_time_seconds shows a P95 of 3 s over 1000 requests against Gunicorn's 500 ms over 1000 requests, 2.5 s that Gunicorn never sees; "
            + "the gap is time before Gunicorn's clock starts: the wait in the listen queue, plus the client connection where the proxy logs $request_time");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("metrics/web-1.prom:9", "metrics/web-1.prom:5", "gunicorn defaults");
    }

    [Fact]
    public void Saturation_with_proxy_side_timing_in_the_nginx_log_format_stays_silent()
    {
        Gi3003([
            .. SaturatedPool(),
            Durations("gunicorn_request_duration_seconds", 5, Fast),
            Observe.Setting(ConfigurationScope.Nginx, "log_format",
                SettingValue.FromText("timed '$remote_addr \"$request\" $status rt=$request_time urt=$upstream_response_time'"), "/etc/nginx/nginx.conf", 14),
        ]).Should().BeEmpty();
    }

    [Fact]
    public void A_proxy_close_to_gunicorn_stays_silent()
    {
        Gi3003(
            Durations("gunicorn_request_duration_seconds", 5, Fast),
            Durations("nginx_upstream_response_time_seconds", 9, [(0.1, 290), (0.25, 690), (0.5, 945), (1, 990), (2.5, 1000), (Inf, 1000)])).Should().BeEmpty();
    }

    [Fact]
    public void Gunicorns_histogram_without_any_sign_of_queueing_stays_silent()
    {
        Gi3003([Durations("gunicorn_request_duration_seconds", 5, Fast), .. Observe.Busy(4, 1, 2, 3, 2, 1, 0)]).Should().BeEmpty();
    }
}
