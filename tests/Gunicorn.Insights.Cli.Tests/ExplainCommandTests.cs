using System.Text.Json;

namespace Gunicorn.Insights.Cli.Tests;

public sealed class ExplainCommandTests
{
    private static readonly string Incident = CliRun.Example("incident-web-1");

    [Fact]
    public void Without_inputs_it_shows_the_rules_page()
    {
        var run = CliRun.Of("explain", "GI1002");

        run.ExitCode.Should().Be(0);
        var page = File.ReadAllText(Path.Combine(CliRun.RepositoryRoot, "docs", "rules", "GI1002.md"));
        run.Output.Should().StartWith("GI1002: Worker killed when timeout setting too low or missing")
            .And.Contain("WHAT IT DETECTS");
        run.Output.Split('\n').Length.Should().BeCloseTo(page.Split('\n').Length, 3);
    }

    [Fact]
    public void Ids_are_matched_in_any_case()
    {
        CliRun.Of("explain", "gi4001").Output.Should().StartWith("GI4001: TCP socket binding");
    }

    [Fact]
    public void An_unknown_id_is_a_usage_error()
    {
        var run = CliRun.Of("explain", "GI9999");

        run.ExitCode.Should().Be(2);
        run.Error.Should().Be("gunicorn-insights: error: unknown rule ID 'GI9999'; `gunicorn-insights rules` lists them" + Environment.NewLine);
    }

    [Fact]
    public void On_inputs_where_the_rule_fired_every_condition_held_and_the_diagnosis_is_shown()
    {
        var run = CliRun.Of("explain", "GI4001", "--on", Incident);

        run.ExitCode.Should().Be(0);
        run.Output.Should().StartWith("SameHostTcpProxyRule (GI4001: TCP socket binding causes severe request latency compared to Unix socket)")
            .And.Contain("  outcome: fired; 1 complete match(es)")
            .And.NotContain("✗")
            .And.Contain("    GI4001 critical: nginx reaches Gunicorn over loopback TCP")
            .And.Contain("      docs/examples/incident-web-1/nginx.conf:7: proxy_pass = http://127.0.0.1:8000");
    }

    [Fact]
    public void On_inputs_without_the_evidence_it_names_the_failed_condition_and_the_artifact_that_would_supply_it()
    {
        var run = CliRun.Of("explain", "GI6001", "--on", Incident);

        run.Output.Should().Contain("RedisAppendfsyncBlockingRule (GI6001: Redis appendfsync blocking causes Gunicorn worker timeout)")
            .And.Contain("✗ require where () => ((redis != null) AndAlso redis.Blocks)")
            .And.Contain("condition 3 collected no ConfigParameter where p => IsRedis(p)")
            .And.Contain("- Redis configuration: redis.conf or `redis-cli CONFIG GET '*'` output");
    }

    [Fact]
    public void A_missing_derived_fact_points_at_the_rule_that_derives_it()
    {
        using var scratch = new ScratchFolder();
        File.Copy(Path.Combine(CliRun.RepositoryRoot, Incident, "gunicorn.conf.py"), Path.Combine(scratch.Path, "gunicorn.conf.py"));

        var run = CliRun.Of("explain", "GI1001", "--on", scratch.Path);

        run.Output.Should().Contain("missing: WorkerTimeouts is derived by WorkerTimeoutsRule; `gunicorn-insights explain WorkerTimeoutsRule --on …` shows why it derived none");
        var derivation = CliRun.Of("explain", "WorkerTimeoutsRule", "--on", scratch.Path);
        derivation.Output.Should().StartWith("WorkerTimeoutsRule").And.Contain("derives facts for other rules");
    }

    [Fact]
    public void Json_gives_each_condition_with_its_counts()
    {
        var run = CliRun.Of("explain", "GI4001", "--on", Incident, "--format", "json");

        var report = JsonDocument.Parse(run.Output).RootElement;
        report.GetProperty("id").GetString().Should().Be("GI4001");
        var rule = report.GetProperty("rules").EnumerateArray().Should().ContainSingle().Subject;
        rule.GetProperty("rule").GetString().Should().Be("SameHostTcpProxyRule");
        rule.GetProperty("outcome").GetString().Should().Be("fired");
        var first = rule.GetProperty("conditions")[0];
        first.GetProperty("factType").GetString().Should().Be("GunicornConfiguration");
        first.GetProperty("held").GetBoolean().Should().BeTrue();
        first.GetProperty("matchesOut").GetInt64().Should().Be(1);
        report.GetProperty("inputs").GetArrayLength().Should().Be(7);
    }
}
