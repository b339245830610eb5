using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Latency;

public sealed class PrometheusScrapeTargetRuleTests
{
    private static ConfigParameter Job(string name, int line) =>
        Observe.Setting(ConfigurationScope.Prometheus, "scrape_configs.job_name", SettingValue.FromText(name), "prometheus.yml", line);

    private static ConfigParameter Targets(int line, params string[] targets) =>
        Observe.Setting(ConfigurationScope.Prometheus, "scrape_configs.static_configs.targets", SettingValue.List(targets), "prometheus.yml", line);

    private static IEnumerable<Diagnosis> Gi3006(params object[] facts) =>
        BuiltInRules.Analyze(facts).Diagnoses.Where(d => d.Id == "GI3006");

    [Fact]
    public void A_job_whose_target_matches_gunicorns_bind_is_confirmed()
    {
        var diagnosis = Gi3006(Job("django_app", 7), Targets(9, "localhost:8000")).Should().ContainSingle().Subject;

        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be("Prometheus job 'django_app' scrapes localhost:8000: the target localhost:8000 matches Gunicorn's bind 127.0.0.1:8000 (Gunicorn's default; no bind setting was found)");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("prometheus.yml:7", "prometheus.yml:9", "gunicorn defaults");
    }

    [Fact]
    public void A_gunicorn_bound_only_to_a_unix_socket_cannot_be_scraped_directly()
    {
        var diagnosis = Gi3006(
            Job("django_app", 7), Targets(9, "localhost:8000"),
            Observe.Gunicorn("bind", SettingValue.List(["unix:/run/gunicorn.sock"]), line: 2)).Should().ContainSingle().Subject;

        diagnosis.Message.Should().Be("Prometheus job 'django_app' scrapes localhost:8000: Gunicorn listens only on unix:/run/gunicorn.sock, "
            + "which Prometheus cannot scrape directly: serve /metrics through the proxy in front of it, or bind an additional TCP address");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("prometheus.yml:7", "prometheus.yml:9", "gunicorn.conf.py:2");
    }

    [Fact]
    public void A_target_on_a_port_gunicorn_does_not_bind_is_named()
    {
        var diagnosis = Gi3006(
            Job("django_app", 7), Targets(9, "localhost:9000"),
            Observe.Gunicorn("bind", SettingValue.List(["0.0.0.0:8000"]), line: 2)).Should().ContainSingle().Subject;

        diagnosis.Message.Should().Be("Prometheus job 'django_app' scrapes localhost:9000: none of the targets uses a port Gunicorn binds (0.0.0.0:8000, port 8000): "
            + "the job scrapes another exporter or the proxy, or points at the wrong port");
    }

    [Fact]
    public void A_remote_target_cannot_reach_a_gunicorn_bound_to_loopback()
    {
        var diagnosis = Gi3006(Job("django_app", 7), Targets(9, "web-1:8000")).Should().ContainSingle().Subject;

        diagnosis.Message.Should().Be("Prometheus job 'django_app' scrapes web-1:8000: Gunicorn binds 127.0.0.1:8000 (Gunicorn's default), which answers only on the loopback interface, "
            + "so the target web-1:8000 cannot reach it: scrape a loopback address from the same host, bind 0.0.0.0 behind a firewall, or scrape through the proxy");
    }

    [Fact]
    public void Each_job_gets_the_targets_listed_under_it_and_prometheus_self_scrape_is_skipped()
    {
        var diagnoses = Gi3006(
            Job("prometheus", 3), Targets(5, "localhost:9090"),
            Job("django_app", 7), Targets(9, "localhost:8000")).ToList();

        diagnoses.Should().ContainSingle().Which.Message.Should().StartWith("Prometheus job 'django_app' scrapes localhost:8000:");
    }

    [Fact]
    public void Without_a_scrape_job_nothing_is_reported()
    {
        Gi3006(Targets(9, "localhost:8000"), Observe.Gunicorn("workers", SettingValue.Integer(3))).Should().BeEmpty();
    }
}
