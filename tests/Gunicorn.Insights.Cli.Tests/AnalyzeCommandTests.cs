namespace Gunicorn.Insights.Cli.Tests;

public sealed class AnalyzeCommandTests
{
    private static readonly string Incident = CliRun.Example("incident-web-1");

    [Fact]
    public void Prints_each_diagnosis_with_severity_evidence_location_remediation_and_help_link_most_severe_first()
    {
        var run = CliRun.Of("analyze", Incident);

        run.Error.Should().BeEmpty();
        var headers = run.Output.Split('\n').Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^GI\d{4} ")).ToArray();
        headers.Should().Contain("GI1002 critical: Worker killed when timeout setting too low or missing");
        headers.Should().Contain("GI4001 critical: TCP socket binding causes severe request latency compared to Unix socket");
        var ranks = headers.Select(h => h.Split(' ')[1].TrimEnd(':') switch { "critical" => 3, "warning" => 2, _ => 1 }).ToArray();
        ranks.Should().BeInDescendingOrder().And.Contain([3, 2, 1]);
        run.Output.Should().Contain("    docs/examples/incident-web-1/error.log:6: WorkerTimeout × 6")
            .And.Contain("    docs/examples/incident-web-1/nginx.conf:7: proxy_pass = http://127.0.0.1:8000")
            .And.Contain("  remediation:")
            .And.Contain("        $ sudo systemctl daemon-reload")
            .And.Contain("  help: https://github.com/gunicorn-insights/gunicorn-insights/blob/main/docs/rules/GI1002.md");
    }

    [Fact]
    public void Reports_what_was_read_with_kinds_lines_and_time_span_then_the_reconciled_settings()
    {
        var run = CliRun.Of("analyze", Incident);

        run.Output.Should().Contain("Read 7 file(s), 1,262 lines")
            .And.Contain("2026-11-23 23:40:00 – 2026-11-24 00:04:58 UTC")
            .And.MatchRegex(@"gunicorn-access-log +docs/examples/incident-web-1/access\.log +1,200 lines")
            .And.MatchRegex(@"nginx-config +docs/examples/incident-web-1/nginx\.conf +11 lines")
            .And.Contain("Recommended settings")
            .And.Contain("  timeout: 30 → at least 60 (from GI1002)")
            .And.Contain("  workers: 2 → 9 (from GI2003)");
        run.Output.TrimEnd().Split('\n')[^1].Should().Be("3 critical, 5 warning, 3 info.");
    }

    [Fact]
    public void Redirected_output_has_no_colour_codes()
    {
        CliRun.Of("analyze", Incident).Output.Should().NotContain("\u001b[");
    }

    [Theory]
    [InlineData("critical", 1)]
    [InlineData("warning", 1)]
    [InlineData("info", 1)]
    [InlineData("none", 0)]
    public void Fail_on_sets_the_exit_code_from_the_most_severe_diagnosis(string level, int expected)
    {
        CliRun.Of("analyze", Incident, "--fail-on", level).ExitCode.Should().Be(expected);
    }

    [Fact]
    public void Exit_code_is_0_when_nothing_reaches_the_fail_on_level()
    {
        using var scratch = new ScratchFolder();
        var config = scratch.Write("insights.json", """
            { "categories": { "WorkerLifecycle": "info", "Proxy": "info", "Capacity": "info", "Latency": "info" } }
            """);

        var warning = CliRun.Of("analyze", Incident, "--config", config, "--fail-on", "warning");
        var info = CliRun.Of("analyze", Incident, "--config", config, "--fail-on", "info");

        warning.ExitCode.Should().Be(0);
        warning.Output.Should().Contain("GI1002 info:");
        info.ExitCode.Should().Be(1);
    }

    [Fact]
    public void Config_suppressions_move_a_diagnosis_to_the_suppressed_list_with_its_justification()
    {
        using var scratch = new ScratchFolder();
        var config = scratch.Write("insights.json", """
            { "suppressions": [ { "rule": "GI4001", "justification": "nginx runs in another network namespace" } ] }
            """);

        var run = CliRun.Of("analyze", Incident, "--config", config);

        run.Output.Should().NotMatchRegex("(?m)^GI4001 ")
            .And.Contain("Suppressed")
            .And.Contain("  GI4001 critical: TCP socket binding causes severe request latency compared to Unix socket — nginx runs in another network namespace");
        run.Output.TrimEnd().Split('\n')[^1].Should().Be("2 critical, 5 warning, 3 info; 1 suppressed.");
    }

    [Fact]
    public void Explicit_kind_reads_a_file_whose_name_says_nothing()
    {
        using var scratch = new ScratchFolder();
        var log = scratch.Write("stuff.txt", File.ReadAllText(Path.Combine(CliRun.RepositoryRoot, Incident, "error.log")));

        var detected = CliRun.Of("analyze", log, "--fail-on", "none");
        var named = CliRun.Of("analyze", "--kind", $"error-log={log}", "--fail-on", "none");

        detected.Output.Should().MatchRegex(@"gunicorn-error-log +\S*stuff\.txt +31 lines");
        named.Output.Should().MatchRegex(@"gunicorn-error-log +\S*stuff\.txt +31 lines").And.Contain("GI1002 critical:");
    }

    [Fact]
    public void Gzipped_logs_in_folders_are_read()
    {
        using var scratch = new ScratchFolder();
        foreach (var file in Directory.GetFiles(Path.Combine(CliRun.RepositoryRoot, Incident)))
        {
            var target = Path.Combine(scratch.Path, "nested", Path.GetFileName(file) + (file.EndsWith(".log", StringComparison.Ordinal) ? ".gz" : ""));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var source = File.OpenRead(file);
            using var destination = File.Create(target);
            if (target.EndsWith(".gz", StringComparison.Ordinal))
            {
                using var gzip = new System.IO.Compression.GZipStream(destination, System.IO.Compression.CompressionLevel.Fastest);
                source.CopyTo(gzip);
            }
            else
            {
                source.CopyTo(destination);
            }
        }

        var run = CliRun.Of("analyze", scratch.Path);

        run.Output.Should().Contain("GI1002 critical:").And.Contain("error.log.gz:6: WorkerTimeout × 6").And.Contain("Read 7 file(s), 1,262 lines");
    }

    [Fact]
    public void Output_option_writes_the_report_to_a_file_and_nothing_to_stdout()
    {
        using var scratch = new ScratchFolder();
        var report = Path.Combine(scratch.Path, "report.txt");

        var run = CliRun.Of("analyze", Incident, "--output", report);

        run.ExitCode.Should().Be(1);
        run.Output.Should().BeEmpty();
        File.ReadAllText(report).Should().Contain("GI1002 critical:");
    }

    [Fact]
    public void Instance_names_the_host_in_each_diagnosis()
    {
        CliRun.Of("analyze", Incident, "--instance", "web-1").Output.Should().Contain("GI1002 critical: Worker killed when timeout setting too low or missing [web-1]");
    }
}
