using System.Text.Json;

namespace Gunicorn.Insights.Cli.Tests;

public sealed class RulesCommandTests
{
    [Fact]
    public void Json_is_an_array_with_one_object_per_rule_and_the_documented_properties()
    {
        var run = CliRun.Of("rules", "--format", "json");

        run.ExitCode.Should().Be(0);
        var rules = JsonDocument.Parse(run.Output).RootElement.EnumerateArray().ToArray();
        rules.Should().HaveCount(39);
        foreach (var rule in rules)
        {
            rule.GetProperty("id").GetString().Should().MatchRegex(@"^GI\d{4}$");
            rule.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
            rule.GetProperty("category").GetString().Should().NotBeNullOrWhiteSpace();
            rule.GetProperty("defaultSeverity").GetString().Should().BeOneOf("critical", "warning", "info");
            rule.GetProperty("insights").ValueKind.Should().Be(JsonValueKind.Array);
            rule.GetProperty("references").ValueKind.Should().Be(JsonValueKind.Array);
            rule.GetProperty("remediation").ValueKind.Should().Be(JsonValueKind.Array);
            rule.GetProperty("helpUri").GetString().Should().Be($"https://github.com/gunicorn-insights/gunicorn-insights/blob/main/docs/rules/{rule.GetProperty("id").GetString()}.md");
        }

        var timeout = rules.Single(r => r.GetProperty("id").GetString() == "GI1001");
        timeout.GetProperty("insights").EnumerateArray().Select(i => i.GetString()).Should().Equal(
            "Gunicorn worker timeout on long-running requests",
            "Long-running requests terminated by worker timeout",
            "Worker timeout from long running requests exceeding timeout threshold");
        timeout.GetProperty("category").GetString().Should().Be("WorkerLifecycle");
        timeout.GetProperty("defaultSeverity").GetString().Should().Be("warning");
    }

    [Fact]
    public void Every_seed_insight_is_covered_by_some_rule_in_the_catalog()
    {
        var rules = JsonDocument.Parse(CliRun.Of("rules", "--format", "json").Output).RootElement.EnumerateArray();

        rules.SelectMany(r => r.GetProperty("insights").EnumerateArray().Select(i => i.GetString())).Distinct().Should().HaveCount(39);
    }

    [Fact]
    public void Text_lists_id_severity_category_and_title_and_shows_configured_severities()
    {
        using var scratch = new ScratchFolder();
        var config = scratch.Write("insights.json", """{ "rules": { "GI3001": "none", "GI1001": "critical" } }""");

        var plain = CliRun.Of("rules");
        var configured = CliRun.Of("rules", "--config", config);

        plain.Output.Should().MatchRegex(@"(?m)^GI1001  warning   WorkerLifecycle +Gunicorn worker timeout on long-running requests$");
        plain.Output.Should().Contain("39 rules.");
        configured.Output.Should().MatchRegex(@"(?m)^GI1001  critical  WorkerLifecycle ")
            .And.MatchRegex(@"(?m)^GI3001  off       Latency ");
    }
}
