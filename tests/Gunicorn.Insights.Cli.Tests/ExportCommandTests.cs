namespace Gunicorn.Insights.Cli.Tests;

public sealed class ExportCommandTests
{
    [Fact]
    public void Prometheus_rules_are_written_to_standard_output_as_one_rule_group()
    {
        var run = CliRun.Of("export", "prometheus-rules");

        run.ExitCode.Should().Be(0);
        run.Error.Should().BeEmpty();
        run.Output.Should().Contain("groups:\n  - name: gunicorn-insights\n    rules:\n");
        System.Text.RegularExpressions.Regex.Matches(run.Output, @"(?m)^          rule_id: ""(GI\d{4})""$").Select(m => m.Groups[1].Value)
            .Should().Equal("GI3001", "GI3002", "GI2003", "GI2007", "GI6006", "GI6007");
    }

    [Fact]
    public void Output_goes_to_the_file_and_a_configuration_file_sets_thresholds_and_severities()
    {
        using var scratch = new ScratchFolder();
        var config = scratch.Write("insights.json", """
            { "rules": { "GI3001": "critical", "GI6006": "none" }, "parameters": { "GI3001.p95-limit": "1.5s" } }
            """);
        var file = Path.Combine(scratch.Path, "gunicorn-insights.rules.yml");

        var run = CliRun.Of("export", "prometheus-rules", "--config", config, "--output", file);

        run.ExitCode.Should().Be(0);
        run.Output.Should().BeEmpty();
        run.Error.Should().Be($"5 alerting rule(s) written to {file}.\n");
        var yaml = File.ReadAllText(file);
        yaml.Should().Contain("[10m])))\n            > 1.5\n")
            .And.Contain("          rule_id: \"GI3001\"\n          severity: \"critical\"\n")
            .And.NotContain("GI6006");
    }

    [Fact]
    public void An_invalid_configuration_file_is_a_usage_error_naming_its_file_and_line()
    {
        using var scratch = new ScratchFolder();
        var config = scratch.Write("insights.json", "{\n  \"rules\": { \"GI3001\": \"loud\" }\n}\n");

        var run = CliRun.Of("export", "prometheus-rules", "--config", config);

        run.ExitCode.Should().Be(2);
        run.Output.Should().BeEmpty();
        run.Error.Should().Be($"gunicorn-insights: error: {config}:2: unknown severity 'loud'; expected critical, warning, info or none\n");
    }

    [Fact]
    public void Export_without_a_format_is_a_usage_error()
    {
        var run = CliRun.Of("export");

        run.ExitCode.Should().Be(2);
        run.Error.Should().StartWith("gunicorn-insights: error: ");
    }
}
