using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Latency;

public sealed class BacklogMetricMissingRuleTests
{
    private static RequestDurationHistogram Durations() =>
        RequestDurationHistogram.FromUpperBoundsInSeconds("gunicorn_request_duration_seconds",
            [(0.1, 900), (0.5, 990), (1, 1000), (double.PositiveInfinity, 1000)], new SourceLocation("metrics/web-1.prom", 5));

    private static IEnumerable<Diagnosis> Gi3004(params object[] facts) =>
        BuiltInRules.Analyze(facts).Diagnoses.Where(d => d.Id == "GI3004");

    [Fact]
    public void Duration_metrics_on_a_gunicorn_without_a_backlog_metric_are_reported_as_info()
    {
        var diagnosis = Gi3004(Durations(), Observe.Version("gunicorn", "23.0.0", line: 2)).Should().ContainSingle().Subject;

        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be("Request durations are measured (gunicorn_request_duration_seconds) but no metric shows the listen backlog: "
            + "Gunicorn 23.0.0 has no backlog metric (gunicorn.backlog arrived in 24.1, behind --enable-backlog-metric); "
            + "until then, the wait before accept() shows only at the proxy ($upstream_response_time) or as every worker busy");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("metrics/web-1.prom:5", "error.log:2");
    }

    [Fact]
    public void A_newer_gunicorn_sending_statsd_with_the_flag_off_is_told_to_turn_it_on()
    {
        var diagnosis = Gi3004(
            Observe.Gunicorn("statsd_host", SettingValue.FromText("metrics-aggregator:9125"), line: 8),
            Observe.Version("gunicorn", "24.1.1", line: 2)).Should().ContainSingle().Subject;

        diagnosis.Message.Should().Be("Request durations are measured (Gunicorn's StatsD metrics to metrics-aggregator:9125) but no metric shows the listen backlog: "
            + "Gunicorn 24.1.1 can send gunicorn.backlog to StatsD with --enable-backlog-metric, which is off");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("gunicorn.conf.py:8", "error.log:2");
    }

    [Fact]
    public void The_backlog_metric_enabled_on_a_version_that_has_it_stays_silent()
    {
        Gi3004(
            Durations(),
            Observe.Gunicorn("statsd_host", SettingValue.FromText("metrics-aggregator:9125"), line: 8),
            Observe.Gunicorn("enable_backlog_metric", SettingValue.Boolean(true), line: 9),
            Observe.Version("gunicorn", "24.1.1", line: 2)).Should().BeEmpty();
    }

    [Fact]
    public void A_backlog_gauge_from_elsewhere_counts_as_exposed()
    {
        Gi3004(Durations(), new Gauge("gunicorn.backlog", 12, MetricUnit.Count, new SourceLocation("statsd.txt", 3))).Should().BeEmpty();
    }

    [Fact]
    public void A_deployment_without_any_metrics_stays_silent()
    {
        Gi3004(
            Observe.Gunicorn("workers", SettingValue.Integer(4), line: 3),
            Observe.Version("gunicorn", "23.0.0", line: 2),
            Observe.Traffic(5000)).Should().BeEmpty();
    }
}
