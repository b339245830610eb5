using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Metrics;

namespace Gunicorn.Insights.Readers.Tests.Metrics;

public sealed class PrometheusConfigReaderTests
{
    private static ReadContext Read(string name)
    {
        var context = new ReadContext(name);
        new PrometheusConfigReader().Read(LineSource.FromFile(MutatedInputs.Sample("metrics", name)), context);
        return context;
    }

    private static ReadContext ReadText(string text)
    {
        var context = new ReadContext("prometheus.yml");
        new PrometheusConfigReader().Read(LineSource.FromText("prometheus.yml", text), context);
        return context;
    }

    private static string Line(ConfigParameter p) => $"{p.Source.Line} [{p.Section}] {p.Name}={p.Value}";

    [Fact]
    public void Jobs_targets_paths_and_intervals_become_prometheus_parameters_with_the_job_as_section()
    {
        var context = Read("prometheus.yml");

        var parameters = context.Observations.OfType<ConfigParameter>().ToArray();
        parameters.Should().OnlyContain(p => p.Scope == ConfigurationScope.Prometheus && p.Origin == SettingOrigin.ConfigurationFile);
        parameters.Select(Line).Should().Equal(
            "3 [] global.scrape_interval=15s",
            "4 [] global.evaluation_interval=15s",
            "21 [prometheus] scrape_configs.job_name=prometheus",
            "23 [prometheus] scrape_configs.static_configs.targets=['localhost:9090']",
            "25 [django_app] scrape_configs.job_name=django_app",
            "26 [django_app] scrape_configs.scrape_interval=5s",
            "27 [django_app] scrape_configs.metrics_path=/metrics",
            "29 [django_app] scrape_configs.static_configs.targets=['localhost:8000']",
            "33 [node] scrape_configs.job_name=node",
            "34 [node] scrape_configs.scrape_timeout=1m30s",
            "36 [node] scrape_configs.static_configs.targets=['web-1:9100', 'web-2:9100']",
            "39 [node] scrape_configs.static_configs.targets=['db-1:9100', 'db-2:9100']");
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Values_are_typed_and_spellings_kept()
    {
        var parameters = Read("prometheus.yml").Observations.OfType<ConfigParameter>().ToArray();

        var django = parameters.Single(p => p.Name == PrometheusConfigReader.JobName && p.Section == "django_app");
        django.Value.Kind.Should().Be(SettingValueKind.Text);
        django.Value.Text.Should().Be("django_app");
        django.WrittenAs.Should().Be("job_name");
        django.Source.ToString().Should().Be("prometheus.yml:25");

        var targets = parameters.First(p => p.Name == PrometheusConfigReader.Targets && p.Section == "django_app");
        targets.Value.Kind.Should().Be(SettingValueKind.List);
        targets.Value.Items.Should().Equal("localhost:8000");
        targets.WrittenAs.Should().Be("targets");

        parameters.Single(p => p.Name == "scrape_configs.scrape_interval").Value.TryGetDuration(out var interval).Should().BeTrue();
        interval.Should().Be(TimeSpan.FromSeconds(5));
        parameters.Single(p => p.Name == "scrape_configs.scrape_timeout").Value.TryGetDuration(out var timeout).Should().BeTrue();
        timeout.Should().Be(TimeSpan.FromSeconds(90));
        parameters.Single(p => p.Name == "global.scrape_interval").Section.Should().BeNull();
    }

    [Fact]
    public void Broken_structure_is_reported_with_lines_and_the_rest_is_read()
    {
        var context = Read("prometheus-broken.yml");

        context.Problems.Select(p => p.Location.Line).Should().Equal(2, 5, 7, 8, 12, 14);
        context.Problems[0].Message.Should().Contain("'15 seconds' is not a Prometheus duration");
        context.Problems[1].Message.Should().Contain("anchor, alias or tag");
        context.Problems[2].Message.Should().Contain("should be a list");
        context.Problems[3].Message.Should().Contain("without 'job_name'");
        context.Problems[4].Message.Should().Contain("tab");
        context.Problems[5].Message.Should().Contain("never closed");
        context.Observations.OfType<ConfigParameter>().Select(Line).Should().Equal(
            "4 [api] scrape_configs.job_name=api",
            "7 [api] scrape_configs.static_configs.targets=['localhost:8000']",
            "8 [] scrape_configs.metrics_path=/metrics",
            "10 [] scrape_configs.static_configs.targets=['localhost:8001']",
            "11 [web] scrape_configs.job_name=web");
    }

    [Fact]
    public void Yaml_quoting_comments_documents_and_compact_sequences_are_handled()
    {
        var context = ReadText("""
            ---
            scrape_configs:
            - job_name: "it's # not a comment"
              static_configs:
              - targets: ['a:1', "b:2", c:3, 'd''s:4']   # comment
            - job_name: 'x'
              metrics_path: "/prom\"etheus"
              scheme: https
              static_configs: []
            ...
            scrape_configs: []
            """);

        context.Problems.Should().BeEmpty();
        context.Observations.OfType<ConfigParameter>().Select(Line).Should().Equal(
            "3 [it's # not a comment] scrape_configs.job_name=it's # not a comment",
            "5 [it's # not a comment] scrape_configs.static_configs.targets=['a:1', 'b:2', 'c:3', 'd's:4']",
            "6 [x] scrape_configs.job_name=x",
            "7 [x] scrape_configs.metrics_path=/prom\"etheus",
            "8 [x] scrape_configs.scheme=https");
    }

    [Fact]
    public void A_scrape_configs_mapping_and_credentials_in_targets_are_reported_or_masked()
    {
        var context = ReadText("""
            scrape_configs:
              job_name: django_app
            """);

        context.Problems.Should().ContainSingle().Which.Location.Line.Should().Be(2);
        context.Observations.Should().BeEmpty();

        var masked = ReadText("scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['http://admin:hunter2@web:8000']\n");
        masked.Observations.OfType<ConfigParameter>().Last().Value.Items.Should().Equal("http://***@web:8000");
    }

    [Fact]
    public void The_reader_recognises_prometheus_configuration_and_not_error_logs()
    {
        var reader = new PrometheusConfigReader();
        var head = File.ReadAllLines(MutatedInputs.Sample("metrics", "prometheus.yml")).Take(40).ToArray();

        reader.Recognize("prometheus.yml", head).Should().BeGreaterThan(50);
        reader.Recognize("scrape.yaml", head).Should().BeGreaterThan(50);
        reader.Recognize("error.log", File.ReadAllLines(MutatedInputs.Sample("gunicorn", "error-23.log"))).Should().Be(0);
        reader.Recognize("docker-compose.yml", ["services:", "  web:", "    image: app", "  prometheus:", "    image: prom/prometheus"]).Should().Be(0);
        new GunicornErrorLogReader().Recognize("prometheus.yml", head).Should().Be(0);
    }

    [Fact]
    public void Deep_nesting_and_endless_flow_collections_stay_fast_and_are_reported()
    {
        var deep = new System.Text.StringBuilder("scrape_configs:\n");
        for (var i = 1; i <= 3000; i++)
        {
            deep.Append(' ', i).Append('k').Append(i).Append(":\n");
        }

        var endless = "scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: [\n" + string.Concat(Enumerable.Repeat("        'x:1',\n", 40_000));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var nested = ReadText(deep.ToString());
        var unclosed = ReadText(endless);

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
        nested.Problems.Should().ContainSingle().Which.Message.Should().Contain("deeper than 64 levels");
        unclosed.Problems.Should().ContainSingle().Which.Message.Should().Contain("longer than");
        unclosed.Observations.OfType<ConfigParameter>().Select(p => p.Name).Should().Equal(PrometheusConfigReader.JobName);
    }

    [Fact]
    public void PrometheusConfigReader_survives_mutated_input()
    {
        var elapsed = MutatedInputs.Run(new PrometheusConfigReader(),
            [MutatedInputs.Sample("metrics", "prometheus.yml"), MutatedInputs.Sample("metrics", "prometheus-broken.yml")], seed: 9090);

        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }
}
