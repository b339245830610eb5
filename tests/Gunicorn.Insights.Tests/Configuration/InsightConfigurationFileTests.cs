using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Tests.Configuration;

public sealed class InsightConfigurationFileTests
{
    [Fact]
    public void A_complete_file_sets_rule_and_category_severities_and_suppressions()
    {
        var configuration = InsightConfigurationFile.Parse("""
            {
              // per rule, then per category
              "rules": { "GI1001": "critical", "GI3002": "none", },
              "categories": { "Latency": "info" },
              "suppressions": [
                { "rule": "GI2003", "justification": "batch host, slow by design", "instance": "web-2", "source": "batch.log" }
              ]
            }
            """, "insights.json");

        configuration.RuleSeverities.Should().BeEquivalentTo(new Dictionary<string, ConfiguredSeverity>
        {
            ["GI1001"] = ConfiguredSeverity.Critical,
            ["GI3002"] = ConfiguredSeverity.None,
        });
        configuration.CategorySeverities["latency"].Should().Be(ConfiguredSeverity.Info);
        configuration.Suppressions.Should().ContainSingle().Which.Should().Be(
            new Suppression("GI2003", "batch host, slow by design") { Instance = "web-2", SourceContains = "batch.log" });
    }

    [Fact]
    public void An_unknown_severity_is_reported_with_the_file_and_line()
    {
        var parse = () => InsightConfigurationFile.Parse("{\n  \"rules\": {\n    \"GI1001\": \"loud\"\n  }\n}", "insights.json");

        parse.Should().Throw<InsightConfigurationException>()
            .WithMessage("insights.json:3: unknown severity 'loud'; expected critical, warning, info or none");
    }

    [Fact]
    public void A_suppression_without_a_justification_is_refused_with_its_line()
    {
        var parse = () => InsightConfigurationFile.Parse("{\n\"suppressions\": [\n\n  { \"rule\": \"GI1001\" }\n]}", "insights.json");

        parse.Should().Throw<InsightConfigurationException>()
            .WithMessage("insights.json:4: the suppression of GI1001 needs a 'justification': say why it does not apply");
    }

    [Fact]
    public void Malformed_json_names_the_line_of_the_error()
    {
        var parse = () => InsightConfigurationFile.Parse("{\n  \"rules\": {\n    \"GI1001\" \"warning\"\n  }\n}", "insights.json");

        parse.Should().Throw<InsightConfigurationException>().Which.Location.Line.Should().Be(3);
    }

    [Fact]
    public void An_unknown_key_is_refused_rather_than_ignored()
    {
        var parse = () => InsightConfigurationFile.Parse("""{ "severity": {} }""", "insights.json");

        parse.Should().Throw<InsightConfigurationException>().WithMessage("insights.json:1: unknown key 'severity'*");
    }

    [Fact]
    public void A_missing_file_is_reported_with_its_path()
    {
        var load = () => InsightConfigurationFile.Load("/nonexistent/insights.json");

        load.Should().Throw<InsightConfigurationException>().WithMessage("/nonexistent/insights.json: cannot read the configuration file:*");
    }

    [Fact]
    public void A_rule_setting_wins_over_its_category_and_none_turns_the_rule_off()
    {
        var configuration = InsightConfigurationFile.Parse(
            """{ "rules": { "GI1001": "info", "GI1002": "none" }, "categories": { "WorkerLifecycle": "critical" } }""", "x.json");
        InsightDescriptor Descriptor(string id) => new(id, "t", "m", InsightCategory.WorkerLifecycle, Severity.Warning);

        configuration.EffectiveSeverity(Descriptor("GI1001")).Should().Be(Severity.Info);
        configuration.EffectiveSeverity(Descriptor("GI1002")).Should().BeNull();
        configuration.EffectiveSeverity(Descriptor("GI1003")).Should().Be(Severity.Critical);
    }

    [Fact]
    public void A_suppression_needs_a_justification_in_code_too()
    {
        var create = () => new Suppression("GI1001", " ");

        create.Should().Throw<ArgumentException>().WithMessage("*needs a justification*");
    }
}
