using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Latency;

public sealed class PrometheusWithoutMultiprocessModeRuleTests
{
    private static ConfigParameter Targets(string target) =>
        Observe.Setting(ConfigurationScope.Prometheus, "scrape_configs.static_configs.targets", SettingValue.List([target]), "prometheus.yml", 9);

    private static IEnumerable<Diagnosis> Gi3005(params object[] facts) =>
        BuiltInRules.Analyze(facts).Diagnoses.Where(d => d.Id == "GI3005");

    [Fact]
    public void Several_workers_serving_metrics_without_multiprocess_mode_are_reported_as_info()
    {
        var diagnosis = Gi3005(
            Observe.Gunicorn("workers", SettingValue.Integer(4), line: 3),
            Observe.Gunicorn("bind", SettingValue.List(["0.0.0.0:8000"]), line: 2),
            Targets("web-1:8000"),
            Observe.Traffic(120, path: "/metrics")).Should().ContainSingle().Subject;

        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be("Gunicorn runs 4 worker processes and the application exposes Prometheus metrics "
            + "(a scrape target on Gunicorn's port (web-1:8000), 120 requests to /metrics) without PROMETHEUS_MULTIPROC_DIR: "
            + "each scrape is answered by whichever worker accepts it, so counters and histograms show one worker's share and jump between scrapes");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("gunicorn.conf.py:3", "prometheus.yml:9", "access.log:1");
    }

    [Fact]
    public void A_worker_formula_on_an_unknown_host_counts_at_least_its_one_cpu_value()
    {
        var diagnosis = Gi3005(
            Observe.Gunicorn("workers", SettingValue.CpuFormula("multiprocessing.cpu_count() * 2 + 1", 2, 1), line: 3),
            Observe.Setting(ConfigurationScope.Prometheus, "http_request_duration_seconds.buckets",
                SettingValue.FromText("[0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]"), "app/metrics.py", 12)).Should().ContainSingle().Subject;

        diagnosis.Message.Should().StartWith("Gunicorn runs at least 3 (multiprocessing.cpu_count() * 2 + 1) worker processes and the application exposes "
            + "Prometheus metrics (http_request_duration_seconds.buckets) without PROMETHEUS_MULTIPROC_DIR");
    }

    [Fact]
    public void Multiprocess_mode_in_the_environment_stays_silent()
    {
        Gi3005(
            Observe.Gunicorn("workers", SettingValue.Integer(4), line: 3),
            Observe.Traffic(120, path: "/metrics"),
            Observe.Setting(ConfigurationScope.Platform, "PROMETHEUS_MULTIPROC_DIR", SettingValue.FromText("/tmp/prometheus_multiproc"),
                "/etc/systemd/system/gunicorn.service", 7)).Should().BeEmpty();
    }

    [Fact]
    public void A_single_worker_stays_silent()
    {
        Gi3005(Observe.Gunicorn("workers", SettingValue.Integer(1), line: 3), Observe.Traffic(120, path: "/metrics")).Should().BeEmpty();
    }

    [Fact]
    public void A_scrape_target_on_another_port_is_not_a_client_in_the_app()
    {
        Gi3005(Observe.Gunicorn("workers", SettingValue.Integer(4), line: 3), Targets("localhost:9100")).Should().BeEmpty();
    }
}
