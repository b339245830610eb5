using System.Text.Json;

namespace Gunicorn.Insights.Cli.Tests;

public sealed class JsonReportTests
{
    private static readonly string Incident = CliRun.Example("incident-web-1");

    private static JsonElement Analyze(params string[] extra)
    {
        var run = CliRun.Of(["analyze", Incident, "--format", "json", .. extra]);
        return JsonDocument.Parse(run.Output).RootElement;
    }

    [Fact]
    public void Has_a_schema_version_the_tool_and_every_documented_top_level_property()
    {
        var report = Analyze();

        report.GetProperty("schemaVersion").GetString().Should().Be("1.0");
        report.GetProperty("tool").GetProperty("name").GetString().Should().Be("gunicorn-insights");
        report.GetProperty("tool").GetProperty("version").GetString().Should().MatchRegex(@"^\d+\.\d+\.\d+");
        foreach (var name in new[] { "diagnostics", "suppressed", "recommendations", "checks", "inputs", "inputErrors" })
        {
            report.GetProperty(name).ValueKind.Should().Be(JsonValueKind.Array, name);
        }

        var summary = report.GetProperty("summary");
        (summary.GetProperty("critical").GetInt32(), summary.GetProperty("warning").GetInt32(), summary.GetProperty("info").GetInt32())
            .Should().Be((3, 5, 3));
    }

    [Fact]
    public void Each_diagnostic_carries_id_severity_message_evidence_with_file_and_line_remediation_and_help()
    {
        var diagnostics = Analyze().GetProperty("diagnostics").EnumerateArray().ToArray();

        diagnostics.Should().HaveCount(11);
        var timeout = diagnostics.Single(d => d.GetProperty("id").GetString() == "GI1002");
        timeout.GetProperty("severity").GetString().Should().Be("critical");
        timeout.GetProperty("title").GetString().Should().Be("Worker killed when timeout setting too low or missing");
        timeout.GetProperty("message").GetString().Should().StartWith("6 WORKER TIMEOUT line(s) killed 6 worker(s) while the worker timeout was 30 s");
        var evidence = timeout.GetProperty("evidence").EnumerateArray().First();
        evidence.GetProperty("source").GetString().Should().Be("docs/examples/incident-web-1/error.log:6");
        evidence.GetProperty("path").GetString().Should().Be("docs/examples/incident-web-1/error.log");
        evidence.GetProperty("line").GetInt32().Should().Be(6);
        evidence.GetProperty("text").GetString().Should().StartWith("WorkerTimeout × 6");
        var remediation = timeout.GetProperty("remediation").EnumerateArray().First();
        remediation.GetProperty("kind").GetString().Should().Be("change-setting");
        remediation.GetProperty("setting").GetString().Should().Be("timeout");
        timeout.GetProperty("helpUri").GetString().Should().Be("https://github.com/gunicorn-insights/gunicorn-insights/blob/main/docs/rules/GI1002.md");
        timeout.GetProperty("recommendations").EnumerateArray().Should().Contain(r => r.GetProperty("setting").GetString() == "timeout");
        diagnostics.Select(d => d.GetProperty("severity").GetString()).Should().OnlyContain(s => s == "critical" || s == "warning" || s == "info");
    }

    [Fact]
    public void Inputs_list_each_file_with_its_kind_lines_and_time_span()
    {
        var inputs = Analyze().GetProperty("inputs").EnumerateArray().ToArray();

        inputs.Should().HaveCount(7);
        var access = inputs.Single(i => i.GetProperty("kind").GetString() == "gunicorn-access-log");
        access.GetProperty("path").GetString().Should().Be("docs/examples/incident-web-1/access.log");
        access.GetProperty("lines").GetInt64().Should().Be(1200);
        access.GetProperty("firstTimestamp").GetDateTimeOffset().Should().Be(new DateTimeOffset(2026, 11, 23, 23, 40, 0, TimeSpan.Zero));
        access.GetProperty("lastTimestamp").GetDateTimeOffset().Should().Be(new DateTimeOffset(2026, 11, 24, 0, 4, 58, TimeSpan.Zero));
    }

    [Fact]
    public void Input_errors_name_the_file_and_line()
    {
        var errors = Analyze("missing.log").GetProperty("inputErrors").EnumerateArray().ToArray();

        errors.Should().ContainSingle();
        errors[0].GetProperty("source").GetString().Should().Be("missing.log");
        errors[0].GetProperty("severity").GetString().Should().Be("error");
        errors[0].GetProperty("message").GetString().Should().Be("no such file or folder");
    }

    [Fact]
    public void Suppressed_diagnoses_keep_their_justification()
    {
        using var scratch = new ScratchFolder();
        var config = scratch.Write("insights.json", """{ "suppressions": [ { "rule": "GI4001", "justification": "proxy in a sidecar" } ] }""");

        var report = Analyze("--config", config);

        report.GetProperty("diagnostics").EnumerateArray().Should().NotContain(d => d.GetProperty("id").GetString() == "GI4001");
        var suppressed = report.GetProperty("suppressed").EnumerateArray().Should().ContainSingle().Subject;
        suppressed.GetProperty("id").GetString().Should().Be("GI4001");
        suppressed.GetProperty("justification").GetString().Should().Be("proxy in a sidecar");
        report.GetProperty("summary").GetProperty("suppressed").GetInt32().Should().Be(1);
    }

    [Fact]
    public void Checks_say_which_rules_fired_passed_or_lacked_evidence()
    {
        var checks = Analyze().GetProperty("checks").EnumerateArray().ToArray();

        var outcomes = checks.ToDictionary(c => c.GetProperty("rule").GetString()!.Split('.')[^1], c => c.GetProperty("outcome").GetString());
        outcomes["SameHostTcpProxyRule"].Should().Be("fired");
        outcomes.Values.Should().Contain("no-evidence").And.Contain("passed");
    }
}
