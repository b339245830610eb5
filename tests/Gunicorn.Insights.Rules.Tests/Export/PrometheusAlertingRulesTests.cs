using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Rules.Export;

namespace Gunicorn.Insights.Rules.Tests.Export;

public sealed class PrometheusAlertingRulesTests
{
    [Fact]
    public void Exports_the_metric_based_rules_at_their_default_severities_with_rule_id_and_severity_labels()
    {
        var rules = PrometheusAlertingRules.Create();

        rules.Select(r => (r.Descriptor.Id, r.Alert, r.Severity)).Should().Equal(
            ("GI3001", "GunicornP95LatencyHigh", Severity.Warning),
            ("GI3002", "GunicornRequestDurationRise", Severity.Warning),
            ("GI2003", "GunicornTooFewWorkers", Severity.Warning),
            ("GI2007", "GunicornCpuSaturatedSlowRequests", Severity.Critical),
            ("GI6006", "GunicornWorkerTimeoutsOnBusyCpu", Severity.Warning),
            ("GI6007", "GunicornHostShortOfMemory", Severity.Critical));
        rules[3].Labels.Should().Equal(new KeyValuePair<string, string>("rule_id", "GI2007"), new KeyValuePair<string, string>("severity", "critical"));
        rules[3].Annotations.Select(a => a.Key).Should().Equal("title", "summary", "help_url");
        rules[3].Annotations[2].Value.Should().Be("https://github.com/gunicorn-insights/gunicorn-insights/blob/main/docs/rules/GI2007.md");
    }

    [Fact]
    public void Thresholds_are_the_rule_parameter_defaults()
    {
        var rules = PrometheusAlertingRules.Create().ToDictionary(r => r.Descriptor.Id);

        rules["GI3001"].Expression.Should().Contain("histogram_quantile(0.95, sum by (instance, le) (rate(gunicorn_request_duration_seconds_bucket[10m])))\n  > 2\n")
            .And.Contain("sum by (instance) (increase(gunicorn_request_duration_seconds_count[10m])) >= 100");
        rules["GI3002"].Expression.Should().Contain(">= 1.5 * histogram_quantile(0.95").And.Contain("offset 1d))) >= 0.1");
        rules["GI2003"].Expression.Should().Contain(">= 10\n");
        rules["GI6006"].Expression.Should().Contain("increase(gunicorn_log_critical_total[10m])").And.Contain("[10m:1m]) * 100 >= 90");
        rules["GI6007"].Expression.Should().Contain("* 4 >= 100)[30m:1m])\n  >= 3").And.Contain("* 100 < 10");
    }

    [Fact]
    public void A_configuration_file_s_parameters_replace_the_thresholds()
    {
        var configuration = InsightConfigurationFile.Parse("""
            { "parameters": { "GI3001.p95-limit": "1500ms", "GI3001.min-requests": "500", "GI3002.factor": "2",
                              "GI2007.p95-limit": "5s", "GI6006.window": "15m", "GI6007.swap-rate": "512", "GI6007.window": "60m" } }
            """, "insights.json");

        var rules = PrometheusAlertingRules.Create(configuration).ToDictionary(r => r.Descriptor.Id);

        rules["GI3001"].Expression.Should().Contain("\n  > 1.5\n").And.Contain(">= 500");
        rules["GI3001"].Summary.Should().Contain("above the limit of 1500ms, over at least 500 requests");
        rules["GI3002"].Expression.Should().Contain(">= 2 * histogram_quantile(0.95");
        rules["GI2007"].Expression.Should().Contain("[10m]))) >= 5\n");
        rules["GI6006"].Expression.Should().Contain("increase(gunicorn_log_critical_total[15m])").And.Contain("[15m:1m])");
        rules["GI6007"].Expression.Should().Contain("* 4 >= 512)[1h:1m])");
    }

    [Fact]
    public void Configured_severities_label_the_alerts_and_a_rule_turned_off_is_left_out()
    {
        var configuration = InsightConfigurationFile.Parse("""
            { "rules": { "GI3001": "critical", "GI6007": "none" }, "categories": { "Latency": "info" } }
            """, "insights.json");

        var rules = PrometheusAlertingRules.Create(configuration);

        rules.Select(r => (r.Descriptor.Id, r.Severity)).Should().Equal(
            ("GI3001", Severity.Critical),
            ("GI3002", Severity.Info),
            ("GI2003", Severity.Warning),
            ("GI2007", Severity.Critical),
            ("GI6006", Severity.Warning));
    }

    [Fact]
    public void An_unknown_parameter_of_a_built_in_rule_is_refused_naming_the_rule_s_parameters()
    {
        var configuration = new InsightConfiguration(parameters: new Dictionary<string, string> { ["GI3001.p95"] = "1s" });

        var create = () => PrometheusAlertingRules.Create(configuration);

        create.Should().Throw<InsightConfigurationException>().WithMessage("Parameter 'GI3001.p95': GI3001 has the parameters p95-limit, min-requests.");
    }

    [Fact]
    public void Parameters_of_a_host_s_own_rules_are_not_the_export_s_concern()
    {
        var configuration = new InsightConfiguration(parameters: new Dictionary<string, string> { ["ACME1001.limit"] = "3" });

        PrometheusAlertingRules.Create(configuration).Should().HaveCount(6);
    }

    [Fact]
    public void The_rule_file_names_each_alert_s_exporters_and_quotes_annotations()
    {
        var yaml = PrometheusRuleFile.ToYaml(PrometheusAlertingRules.Create());

        yaml.Should().StartWith("# Prometheus alerting rules for Gunicorn")
            .And.Contain("groups:\n  - name: gunicorn-insights\n    rules:\n      # GI3001 needs:\n")
            .And.Contain("      #   node_vmstat_pswpin, node_vmstat_pswpout, node_memory_MemAvailable_bytes")
            .And.Contain("      - alert: GunicornP95LatencyHigh\n        expr: |-\n          histogram_quantile(0.95,")
            .And.Contain("        for: 5m\n        labels:\n          rule_id: \"GI3001\"\n          severity: \"warning\"\n")
            .And.Contain("          summary: \"{{ $labels.instance }} is short of memory:");
        yaml.Split('\n').Should().OnlyContain(line => line == line.TrimEnd());
    }
}
