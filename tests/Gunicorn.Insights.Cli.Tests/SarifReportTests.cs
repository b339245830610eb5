using System.Text.Json;

namespace Gunicorn.Insights.Cli.Tests;

public sealed class SarifReportTests
{
    private static readonly string Incident = CliRun.Example("incident-web-1");

    private static JsonElement Analyze(params string[] extra)
    {
        var run = CliRun.Of(["analyze", Incident, "--format", "sarif", .. extra]);
        return JsonDocument.Parse(run.Output).RootElement;
    }

    [Fact]
    public void The_log_satisfies_the_sarif_2_1_0_schema_constraints()
    {
        SarifShape.Violations(Analyze("missing.log")).Should().BeEmpty();
    }

    [Fact]
    public void The_shape_check_catches_what_the_schema_forbids()
    {
        var broken = JsonDocument.Parse("""
            { "version": "2.0.0", "runs": [ { "tool": { "driver": { "rules": [ { "id": "A" } ] } },
              "results": [ { "ruleId": "A", "ruleIndex": 3, "level": "critical",
                             "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "a b" }, "region": { "startLine": 0 } } } ] } ] } ] }
            """).RootElement;

        SarifShape.Violations(broken).Should().BeEquivalentTo(
            "$.version must be \"2.1.0\"",
            "$.runs[0].tool.driver.name is required",
            "$.runs[0].results[0].message is required",
            "$.runs[0].results[0].level 'critical' is not one of none, note, warning, error",
            "$.runs[0].results[0].ruleIndex out of range",
            "$.runs[0].results[0].locations[].physicalLocation.artifactLocation.uri 'a b' is not a well-formed URI",
            "$.runs[0].results[0].locations[].physicalLocation.region.startLine must be ≥ 1");
    }

    [Fact]
    public void The_driver_lists_every_rule_with_its_default_level_and_help()
    {
        var rules = Analyze().GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToArray();

        rules.Should().HaveCount(39);
        var tcp = rules.Single(r => r.GetProperty("id").GetString() == "GI4001");
        tcp.GetProperty("shortDescription").GetProperty("text").GetString().Should().Be("TCP socket binding causes severe request latency compared to Unix socket");
        tcp.GetProperty("defaultConfiguration").GetProperty("level").GetString().Should().Be("error");
        tcp.GetProperty("helpUri").GetString().Should().EndWith("/docs/rules/GI4001.md");
        rules.Single(r => r.GetProperty("id").GetString() == "GI0003").GetProperty("defaultConfiguration").GetProperty("level").GetString().Should().Be("note");
    }

    [Fact]
    public void Results_point_at_the_evidence_file_and_line_relative_to_the_source_root()
    {
        var run = Analyze().GetProperty("runs")[0];
        var results = run.GetProperty("results").EnumerateArray().ToArray();

        results.Should().HaveCount(11);
        var tcp = results.Single(r => r.GetProperty("ruleId").GetString() == "GI4001");
        tcp.GetProperty("level").GetString().Should().Be("error");
        var location = tcp.GetProperty("locations")[0].GetProperty("physicalLocation");
        location.GetProperty("artifactLocation").GetProperty("uri").GetString().Should().Be("docs/examples/incident-web-1/nginx.conf");
        location.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString().Should().Be("SRCROOT");
        location.GetProperty("region").GetProperty("startLine").GetInt32().Should().Be(7);
        tcp.GetProperty("relatedLocations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32().Should().Be(2);
        run.GetProperty("originalUriBaseIds").GetProperty("SRCROOT").GetProperty("uri").GetString()
            .Should().Be(new Uri(CliRun.RepositoryRoot.TrimEnd('/') + "/").AbsoluteUri);
    }

    [Fact]
    public void Every_located_result_points_at_a_file_that_exists()
    {
        var results = Analyze().GetProperty("runs")[0].GetProperty("results").EnumerateArray();

        foreach (var result in results)
        {
            foreach (var location in result.GetProperty("locations").EnumerateArray().Concat(result.GetProperty("relatedLocations").EnumerateArray()))
            {
                var uri = location.GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()!;
                File.Exists(Path.Combine(CliRun.RepositoryRoot, Uri.UnescapeDataString(uri))).Should().BeTrue(uri);
            }
        }
    }

    [Fact]
    public void Suppressed_diagnoses_become_results_with_an_external_suppression_and_its_justification()
    {
        using var scratch = new ScratchFolder();
        var config = scratch.Write("insights.json", """{ "suppressions": [ { "rule": "GI4001", "justification": "proxy in a sidecar" } ] }""");

        var result = Analyze("--config", config).GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Single(r => r.GetProperty("ruleId").GetString() == "GI4001");

        var suppression = result.GetProperty("suppressions")[0];
        suppression.GetProperty("kind").GetString().Should().Be("external");
        suppression.GetProperty("justification").GetString().Should().Be("proxy in a sidecar");
    }

    [Fact]
    public void Input_problems_become_tool_notifications()
    {
        var notification = Analyze("missing.log").GetProperty("runs")[0].GetProperty("invocations")[0]
            .GetProperty("toolExecutionNotifications").EnumerateArray().Should().ContainSingle().Subject;

        notification.GetProperty("level").GetString().Should().Be("error");
        notification.GetProperty("message").GetProperty("text").GetString().Should().Be("no such file or folder");
    }

    [Fact]
    public void Sarif_output_exits_like_the_other_formats()
    {
        CliRun.Of("analyze", Incident, "--format", "sarif").ExitCode.Should().Be(1);
        CliRun.Of("analyze", Incident, "--format", "sarif", "--fail-on", "none").ExitCode.Should().Be(0);
    }
}
