using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Rules.Export;

namespace Gunicorn.Insights.Rules.Tests.Export;

public sealed class PrometheusRuleFilePromtoolTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("gi-prometheus-");

    public void Dispose() => _folder.Delete(recursive: true);

    [PromtoolFact]
    public void Promtool_accepts_the_exported_rule_file()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "rules.yml"), PrometheusRuleFile.ToYaml(PrometheusAlertingRules.Create()));

        var (code, output) = Promtool.Run(_folder.FullName, "check", "rules", "rules.yml");

        output.Should().Contain("SUCCESS: 6 rules found");
        code.Should().Be(0, output);
    }

    [PromtoolFact]
    public void The_p95_alert_fires_for_the_slow_instance_only_with_the_configured_limit_in_its_summary()
    {
        // web-1: per minute 100 requests, 50 within 1 s and the rest within 5 s, so P95 = 1 + 4 × 0.9 = 4.6 s.
        // web-2: every request within 1 s, P95 0.95 s. With the limit at 1.5 s only web-1 is above it.
        var configuration = InsightConfigurationFile.Parse("""{ "parameters": { "GI3001.p95-limit": "1500ms" } }""", "insights.json");
        var test = """
            rule_files: [rules.yml]
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: 'gunicorn_request_duration_seconds_bucket{instance="web-1",le="1"}'
                    values: '0+50x30'
                  - series: 'gunicorn_request_duration_seconds_bucket{instance="web-1",le="5"}'
                    values: '0+100x30'
                  - series: 'gunicorn_request_duration_seconds_bucket{instance="web-1",le="+Inf"}'
                    values: '0+100x30'
                  - series: 'gunicorn_request_duration_seconds_count{instance="web-1"}'
                    values: '0+100x30'
                  - series: 'gunicorn_request_duration_seconds_bucket{instance="web-2",le="1"}'
                    values: '0+100x30'
                  - series: 'gunicorn_request_duration_seconds_bucket{instance="web-2",le="5"}'
                    values: '0+100x30'
                  - series: 'gunicorn_request_duration_seconds_bucket{instance="web-2",le="+Inf"}'
                    values: '0+100x30'
                  - series: 'gunicorn_request_duration_seconds_count{instance="web-2"}'
                    values: '0+100x30'
                alert_rule_test:
                  - eval_time: 3m
                    alertname: GunicornP95LatencyHigh
                    exp_alerts: []
                  - eval_time: 20m
                    alertname: GunicornP95LatencyHigh
                    exp_alerts:
                      - exp_labels: { rule_id: GI3001, severity: warning, instance: web-1 }
                        exp_annotations:
                          title: "P95 latency exceeding 2 seconds degrades user experience"
                          summary: "P95 request duration on web-1 is 4.6s over the last 10m, above the limit of 1500ms, over at least 100 requests."
                          help_url: "https://github.com/gunicorn-insights/gunicorn-insights/blob/main/docs/rules/GI3001.md"
            """;

        var (code, output) = RunUnitTest(PrometheusAlertingRules.Create(configuration), test);

        code.Should().Be(0, output);
        output.Should().Contain("SUCCESS");
    }

    [PromtoolFact]
    public void The_memory_alert_fires_on_sustained_swapping_and_not_on_a_host_that_never_swaps()
    {
        // db-1 swaps in 3000 pages a minute (50 pages/s, 200 KiB/s with 4 KiB pages): above 100 KiB/s in every sample.
        var test = """
            rule_files: [rules.yml]
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: 'node_vmstat_pswpin{instance="db-1"}'
                    values: '0+3000x40'
                  - series: 'node_vmstat_pswpout{instance="db-1"}'
                    values: '0x40'
                  - series: 'node_vmstat_pswpin{instance="web-2"}'
                    values: '0x40'
                  - series: 'node_vmstat_pswpout{instance="web-2"}'
                    values: '0x40'
                alert_rule_test:
                  - eval_time: 2m
                    alertname: GunicornHostShortOfMemory
                    exp_alerts: []
                  - eval_time: 10m
                    alertname: GunicornHostShortOfMemory
                    exp_alerts:
                      - exp_labels: { rule_id: GI6007, severity: critical, instance: db-1 }
                        exp_annotations:
                          title: "Memory swapping causes slow response times and Nginx 504 timeouts"
                          summary: "db-1 is short of memory: swap traffic of at least 100 KiB/s in 3 or more one-minute samples within 30m, or less than 10 % of memory available with swap in use. With 504s or 'upstream timed out' at the proxy, or workers sent SIGKILL, requests are slow because of it."
                          help_url: "https://github.com/gunicorn-insights/gunicorn-insights/blob/main/docs/rules/GI6007.md"
            """;

        var (code, output) = RunUnitTest(PrometheusAlertingRules.Create(), test);

        code.Should().Be(0, output);
    }

    [PromtoolFact]
    public void The_cpu_alert_fires_on_a_busy_slow_host_and_not_on_one_that_mostly_waits_on_io()
    {
        // Both hosts: 95 % of the CPU busy and P95 4.6 s. web-1 is computing (1.7 % I/O wait); web-3 waits on I/O
        // (67 %, more than half the utilisation), which the rule's CPU finding does not count as saturation.
        var test = """
            rule_files: [rules.yml]
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: 'node_cpu_seconds_total{instance="web-1",cpu="0",mode="idle"}'
                    values: '0+3x30'
                  - series: 'node_cpu_seconds_total{instance="web-1",cpu="0",mode="iowait"}'
                    values: '0+1x30'
                  - series: 'node_cpu_seconds_total{instance="web-3",cpu="0",mode="idle"}'
                    values: '0+3x30'
                  - series: 'node_cpu_seconds_total{instance="web-3",cpu="0",mode="iowait"}'
                    values: '0+40x30'
                  - series: 'gunicorn_request_duration_seconds_bucket{instance="web-1",le="1"}'
                    values: '0+50x30'
                  - series: 'gunicorn_request_duration_seconds_bucket{instance="web-1",le="5"}'
                    values: '0+100x30'
                  - series: 'gunicorn_request_duration_seconds_bucket{instance="web-1",le="+Inf"}'
                    values: '0+100x30'
                  - series: 'gunicorn_request_duration_seconds_count{instance="web-1"}'
                    values: '0+100x30'
                  - series: 'gunicorn_request_duration_seconds_bucket{instance="web-3",le="1"}'
                    values: '0+50x30'
                  - series: 'gunicorn_request_duration_seconds_bucket{instance="web-3",le="5"}'
                    values: '0+100x30'
                  - series: 'gunicorn_request_duration_seconds_bucket{instance="web-3",le="+Inf"}'
                    values: '0+100x30'
                  - series: 'gunicorn_request_duration_seconds_count{instance="web-3"}'
                    values: '0+100x30'
                alert_rule_test:
                  - eval_time: 20m
                    alertname: GunicornCpuSaturatedSlowRequests
                    exp_alerts:
                      - exp_labels: { rule_id: GI2007, severity: critical, instance: web-1 }
                        exp_annotations:
                          title: "Gunicorn CPU spike to 100% causes severe page load delays"
                          summary: "CPU on web-1 is at 95 % while the P95 request duration is at or above 2s: the application is CPU-bound, and more workers will not help."
                          help_url: "https://github.com/gunicorn-insights/gunicorn-insights/blob/main/docs/rules/GI2007.md"
            """;

        var (code, output) = RunUnitTest(PrometheusAlertingRules.Create(), test);

        code.Should().Be(0, output);
    }

    private (int ExitCode, string Output) RunUnitTest(IReadOnlyList<PrometheusAlertRule> rules, string test)
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "rules.yml"), PrometheusRuleFile.ToYaml(rules));
        File.WriteAllText(Path.Combine(_folder.FullName, "test.yml"), test);
        return Promtool.Run(_folder.FullName, "test", "rules", "test.yml");
    }
}
