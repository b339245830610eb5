using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.WorkerLifecycle;

public sealed class TimeoutPageDelayRuleTests
{
    [Fact]
    public void Requests_clustering_between_twenty_seconds_and_the_timeout_with_timeouts_fire_critical()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685, 7690]),
            Observe.Durations(buckets: [(1, 900), (5, 940), (10, 950), (20, 960), (30, 995), (60, 1000), (double.PositiveInfinity, 1000)]));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI1004").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Critical);
        diagnosis.Message.Should().Be(
            "40 of 1000 request(s) (4 %) took longer than 20 s, close to the 30 s worker timeout (P99 28.571 s), while 3 WORKER TIMEOUT "
            + "line(s) show requests being killed at it: pages wait up to the whole timeout and then fail");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("prometheus", "error.log:17", "gunicorn defaults");
    }

    [Fact]
    public void The_band_follows_the_configured_timeout_and_a_per_path_histogram_names_its_page()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685]),
            Observe.Gunicorn("timeout", SettingValue.Seconds(60), line: 3),
            Observe.Durations(path: "/reports/export", buckets: [(1, 100), (10, 150), (40, 170), (60, 198), (120, 200), (double.PositiveInfinity, 200)]));

        session.Diagnoses.Where(d => d.Id == "GI1004").Should().ContainSingle().Which.Message.Should().Be(
            "30 of 200 request(s) to /reports/export (15 %) took longer than 40 s, close to the 60 s worker timeout (P99 60 s), while 2 WORKER "
            + "TIMEOUT line(s) show requests being killed at it: pages wait up to the whole timeout and then fail");
    }

    [Fact]
    public void A_few_slow_requests_among_many_do_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(1, [7685]),
            Observe.Durations(buckets: [(1, 990), (10, 995), (20, 996), (30, 1000), (double.PositiveInfinity, 1000)]));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI1004");
        session.Diagnoses.Should().NotContain(d => d.Id == "GI0003" && d.Message.StartsWith("GI1004", StringComparison.Ordinal));
    }

    [Fact]
    public void Slow_requests_without_worker_timeouts_do_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("timeout", SettingValue.Seconds(30)),
            Observe.Durations(buckets: [(1, 900), (20, 950), (30, 1000), (double.PositiveInfinity, 1000)]));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI1004");
    }
}
