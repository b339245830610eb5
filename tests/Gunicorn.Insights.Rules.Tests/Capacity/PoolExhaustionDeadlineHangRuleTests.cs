using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Capacity;

public sealed class PoolExhaustionDeadlineHangRuleTests
{
    private static object[] ExhaustedPool() =>
    [
        Observe.Gunicorn("workers", SettingValue.Integer(3), line: 4),
        .. Observe.Busy(3, 3, 3, 3, 2, 3, 3, 1, 3),
    ];

    [Fact]
    public void Requests_ending_at_nginxs_default_read_timeout_while_the_pool_is_exhausted_fire()
    {
        var session = BuiltInRules.Analyze(
        [
            .. ExhaustedPool(),
            Observe.Durations(buckets: [(0.1, 100), (0.5, 300), (1, 380), (5, 420), (30, 440), (55, 445), (65, 500), (double.PositiveInfinity, 500)]),
        ]);

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI2001").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Critical);
        diagnosis.Message.Should().Be(
            "55 of 500 requests (11 %) took between 55 s and 65 s, at the nginx default proxy_read_timeout of 60 s, "
            + "while the worker pool was exhausted: all 3 workers busy in 6 of 8 samples (75 %)");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "prometheus", "access.log:1", "access.log:2", "access.log:3", "gunicorn.conf.py:4");
    }

    [Fact]
    public void A_configured_proxy_read_timeout_equal_to_the_worker_timeout_is_named_and_cited()
    {
        var session = BuiltInRules.Analyze(
        [
            .. ExhaustedPool(),
            Observe.Gunicorn("timeout", SettingValue.Seconds(30), line: 5),
            Observe.Setting(ConfigurationScope.Nginx, "proxy_read_timeout", SettingValue.FromText("30s"), "/etc/nginx/conf.d/app.conf", 12),
            Observe.Durations(buckets: [(0.1, 200), (1, 300), (10, 310), (29, 312), (31, 400), (double.PositiveInfinity, 400)]),
        ]);

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI2001").Should().ContainSingle().Subject;
        diagnosis.Message.Should().StartWith(
            "88 of 400 requests (22 %) took between 29 s and 31 s, at the nginx proxy_read_timeout and the Gunicorn worker timeout of 30 s,");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Contain(["/etc/nginx/conf.d/app.conf:12", "gunicorn.conf.py:5"]);
    }

    [Fact]
    public void A_histogram_read_from_the_proxys_log_shows_the_cluster_though_no_request_outlasted_the_deadline()
    {
        // nginx's $request_time bucketed from its access log: only buckets holding requests are listed, and nothing
        // waits longer than proxy_read_timeout, so no bound lies above the deadline; the empty stretches are known empty.
        var session = BuiltInRules.Analyze(
        [
            .. ExhaustedPool(),
            Observe.Setting(ConfigurationScope.Nginx, "proxy_read_timeout", SettingValue.FromText("2s"), "nginx.conf", 26),
            Observe.Durations(buckets: [(0.049, 0), (0.051, 12), (0.93, 12), (0.95, 20), (1.96, 20), (2.0, 120), (2.04, 201), (double.PositiveInfinity, 201)]),
        ]);

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI2001").Should().ContainSingle().Subject;
        diagnosis.Message.Should().StartWith(
            "181 of 201 requests (90 %) took between 1 s and 3 s, at the nginx proxy_read_timeout of 2 s, while the worker pool was exhausted");
        session.Diagnoses.Should().NotContain(d => IsInconclusive(d));
    }

    [Fact]
    public void A_slow_tail_spread_past_the_deadline_is_not_a_cluster()
    {
        var session = BuiltInRules.Analyze(
        [
            .. ExhaustedPool(),
            Observe.Durations(buckets: [(0.1, 100), (0.5, 300), (1, 380), (5, 420), (30, 440), (55, 470), (65, 480), (double.PositiveInfinity, 500)]),
        ]);

        session.Diagnoses.Where(d => d.Id == "GI2001" || IsInconclusive(d)).Should().BeEmpty();
    }

    [Fact]
    public void A_cluster_at_the_deadline_with_a_pool_that_never_filled_does_not_fire()
    {
        var session = BuiltInRules.Analyze(
        [
            Observe.Gunicorn("workers", SettingValue.Integer(9), line: 4),
            .. Observe.Busy(9, 2, 3, 4, 2, 5, 3, 1, 2),
            Observe.Durations(buckets: [(0.1, 100), (0.5, 300), (1, 380), (5, 420), (30, 440), (55, 445), (65, 500), (double.PositiveInfinity, 500)]),
        ]);

        session.Diagnoses.Where(d => d.Id == "GI2001" || IsInconclusive(d)).Should().BeEmpty();
    }

    private static bool IsInconclusive(Diagnosis d) => d.Id == "GI0003" && d.Message.StartsWith("GI2001 ", StringComparison.Ordinal);
}
