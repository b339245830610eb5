using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Capacity;

public sealed class PoolExhaustionDeadlineHangInsufficientEvidenceRuleTests
{
    private static object[] ExhaustedPool() =>
    [
        Observe.Gunicorn("workers", SettingValue.Integer(3), line: 4),
        .. Observe.Busy(3, 3, 3, 3, 2, 3, 3, 1, 3),
    ];

    [Fact]
    public void An_exhausted_pool_with_too_few_requests_reports_insufficient_evidence()
    {
        var session = BuiltInRules.Analyze(
        [
            .. ExhaustedPool(),
            Observe.Durations(buckets: [(1, 20), (55, 30), (65, 40), (double.PositiveInfinity, 40)]),
        ]);

        var diagnosis = session.Diagnoses.Where(d => IsInconclusive(d)).Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            "GI2001 Worker pool exhaustion causes exact 60-second request hangs could not conclude: the worker pool was exhausted "
            + "(all 3 workers busy in 6 of 8 samples (75 %)) but the request-duration histogram holds only 40 requests; "
            + "at least 100 requests are needed to see whether they end at the deadline; export a longer window");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "prometheus", "access.log:1", "access.log:2", "access.log:3", "gunicorn.conf.py:4");
        session.Diagnoses.Should().NotContain(d => d.Id == "GI2001");
    }

    [Fact]
    public void The_bounds_suggested_around_a_short_deadline_stay_above_zero()
    {
        var session = BuiltInRules.Analyze(
        [
            .. ExhaustedPool(),
            Observe.Setting(ConfigurationScope.Nginx, "proxy_read_timeout", SettingValue.FromText("2s"), "nginx.conf", 26),
            Observe.Durations(buckets: [(0.5, 10), (30, 150), (double.PositiveInfinity, 200)]),
        ]);

        session.Diagnoses.Where(d => IsInconclusive(d)).Should().ContainSingle().Which.Message.Should().Contain(
            "has no bucket bounds close to the nginx proxy_read_timeout of 2 s; add bucket bounds just below and above the deadline (e.g. 1 s and 3 s)");
    }

    [Fact]
    public void Buckets_that_end_far_below_the_deadline_ask_for_finer_buckets()
    {
        var session = BuiltInRules.Analyze(
        [
            .. ExhaustedPool(),
            Observe.Durations(buckets: [(0.1, 100), (1, 300), (5, 400), (10, 420), (double.PositiveInfinity, 500)]),
        ]);

        session.Diagnoses.Where(d => IsInconclusive(d)).Should().ContainSingle().Which.Message.Should().Be(
            "GI2001 Worker pool exhaustion causes exact 60-second request hangs could not conclude: the worker pool was exhausted "
            + "(all 3 workers busy in 6 of 8 samples (75 %)) and 80 of 500 requests took longer than 10 s, but the histogram has no "
            + "bucket bounds close to the nginx default proxy_read_timeout of 60 s; add bucket bounds just below and above the deadline "
            + "(e.g. 55 s and 65 s) to the request-duration histogram (http_request_duration_seconds.buckets), or read the proxy's "
            + "access log with $request_time");
    }

    [Fact]
    public void A_cluster_at_the_deadline_without_busy_worker_samples_asks_for_them()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("workers", SettingValue.Integer(3), line: 4),
            Observe.Durations(buckets: [(0.1, 100), (0.5, 300), (1, 380), (5, 420), (30, 440), (55, 445), (65, 500), (double.PositiveInfinity, 500)]));

        var diagnosis = session.Diagnoses.Where(d => IsInconclusive(d)).Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "GI2001 Worker pool exhaustion causes exact 60-second request hangs could not conclude: 55 of 500 requests (11 %) took "
            + "between 55 s and 65 s, at the nginx default proxy_read_timeout of 60 s, but there are no busy-worker samples to show "
            + "whether they waited for a free worker; log the busy-worker count with each request (access_log_format with "
            + "busy=%({x-busy}i)s) or read the listening socket's Recv-Q with ss -ltn (ss -lx for a Unix socket) during a hang");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("prometheus");
        session.Diagnoses.Should().NotContain(d => d.Id == "GI2001");
    }

    [Fact]
    public void A_fast_histogram_without_busy_worker_samples_says_nothing()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("workers", SettingValue.Integer(3), line: 4),
            Observe.Durations(buckets: [(0.1, 400), (0.5, 490), (1, 500), (double.PositiveInfinity, 500)]));

        session.Diagnoses.Where(d => IsInconclusive(d)).Should().BeEmpty();
    }

    private static bool IsInconclusive(Diagnosis d) => d.Id == "GI0003" && d.Message.StartsWith("GI2001 ", StringComparison.Ordinal);
}
