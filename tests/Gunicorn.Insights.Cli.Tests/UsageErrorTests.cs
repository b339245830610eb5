namespace Gunicorn.Insights.Cli.Tests;

public sealed class UsageErrorTests
{
    private static readonly string Incident = CliRun.Example("incident-web-1");

    private static void ShouldBeOneLineUsageError(CliRun run, string expectedText)
    {
        run.ExitCode.Should().Be(2);
        run.Output.Should().BeEmpty();
        var lines = run.Error.TrimEnd().Split('\n');
        lines.Should().ContainSingle();
        lines[0].Should().StartWith("gunicorn-insights: error: ").And.Contain(expectedText);
        run.Error.Should().NotContain("   at ").And.NotContain("Exception");
    }

    [Fact]
    public void A_missing_path_is_a_usage_error()
    {
        ShouldBeOneLineUsageError(CliRun.Of("analyze", "no/such/folder"), "no/such/folder: error: no such file or folder");
    }

    [Fact]
    public void An_empty_folder_is_a_usage_error()
    {
        using var scratch = new ScratchFolder();
        ShouldBeOneLineUsageError(CliRun.Of("analyze", scratch.Path), "the folder holds no files to read");
    }

    [Fact]
    public void A_binary_file_given_as_a_log_is_a_usage_error()
    {
        using var scratch = new ScratchFolder();
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        garbage[10] = 0;
        var file = scratch.WriteBytes("error.log", garbage);

        ShouldBeOneLineUsageError(CliRun.Of("analyze", "--kind", $"error-log={file}"), "binary content (NUL bytes) at the start: not a text file, not read");
    }

    [Fact]
    public void An_unrecognised_file_is_a_usage_error_that_says_how_to_name_its_kind()
    {
        using var scratch = new ScratchFolder();
        var file = scratch.Write("notes.md", "# shopping list\n- milk\n");

        ShouldBeOneLineUsageError(CliRun.Of("analyze", file), "not recognised as any artifact Gunicorn.Insights reads; skipped (name its kind explicitly to read it)");
    }

    [Fact]
    public void A_truncated_gzip_alone_is_read_up_to_the_damage_and_reported()
    {
        using var scratch = new ScratchFolder();
        var log = File.ReadAllBytes(Path.Combine(CliRun.RepositoryRoot, Incident, "error.log"));
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(log);
        }

        var file = scratch.WriteBytes("error.log.gz", buffer.ToArray()[..(int)(buffer.Length * 2 / 3)]);

        var run = CliRun.Of("analyze", file, "--fail-on", "none");

        run.ExitCode.Should().Be(0);
        run.Error.Should().StartWith("gunicorn-insights: 1 input error(s)").And.NotContain("   at ");
        run.Output.Should().Contain("Input problems (1)").And.MatchRegex(@"error\.log\.gz:\d+: error: (cannot read past line|the compressed data ends early)");
    }

    [Fact]
    public void An_unknown_option_is_a_usage_error()
    {
        ShouldBeOneLineUsageError(CliRun.Of("analyze", Incident, "--colour-me-pink"), "unknown option '--colour-me-pink'");
    }

    [Fact]
    public void An_unknown_command_is_a_usage_error()
    {
        var run = CliRun.Of("analyse-everything");
        run.ExitCode.Should().Be(2);
        run.Error.Should().StartWith("gunicorn-insights: error: ").And.NotContain("   at ");
    }

    [Fact]
    public void No_command_is_a_usage_error()
    {
        CliRun.Of().ExitCode.Should().Be(2);
    }

    [Fact]
    public void An_unknown_format_is_a_usage_error()
    {
        ShouldBeOneLineUsageError(CliRun.Of("analyze", Incident, "--format", "yaml"), "yaml");
    }

    [Fact]
    public void An_unknown_fail_on_level_is_a_usage_error()
    {
        ShouldBeOneLineUsageError(CliRun.Of("analyze", Incident, "--fail-on", "sometimes"), "sometimes");
    }

    [Fact]
    public void An_unknown_artifact_kind_is_a_usage_error_listing_the_known_ones()
    {
        ShouldBeOneLineUsageError(CliRun.Of("analyze", "--kind", "apache-log=x.log"), "unknown artifact kind 'apache-log'; known kinds: gunicorn-error-log, gunicorn-access-log");
    }

    [Fact]
    public void A_kind_without_a_path_is_a_usage_error()
    {
        ShouldBeOneLineUsageError(CliRun.Of("analyze", "--kind", "access-log"), "--kind takes KIND=PATH");
    }

    [Fact]
    public void No_input_at_all_is_a_usage_error()
    {
        ShouldBeOneLineUsageError(CliRun.Of("analyze"), "no input");
    }

    [Fact]
    public void An_invalid_configuration_file_is_a_usage_error_naming_its_file_and_line()
    {
        using var scratch = new ScratchFolder();
        var config = scratch.Write("insights.json", "{\n  \"rules\": { \"GI1001\": \"loud\" }\n}\n");

        ShouldBeOneLineUsageError(CliRun.Of("analyze", Incident, "--config", config), "insights.json:2: ");
    }

    [Fact]
    public void A_missing_configuration_file_is_a_usage_error()
    {
        ShouldBeOneLineUsageError(CliRun.Of("analyze", Incident, "--config", "nope.json"), "nope.json: no such configuration file");
    }

    [Fact]
    public void Readable_inputs_are_analysed_even_when_others_are_missing()
    {
        var run = CliRun.Of("analyze", Incident, "missing.log");

        run.ExitCode.Should().Be(1);
        run.Output.Should().Contain("GI1002 critical:").And.Contain("Input problems (1)").And.Contain("  missing.log: error: no such file or folder");
        run.Error.Should().Be("gunicorn-insights: 1 input error(s), e.g. missing.log: no such file or folder; the rest was analysed and the report lists them all" + Environment.NewLine);
    }

    [Fact]
    public void An_unwritable_output_file_is_a_usage_error()
    {
        ShouldBeOneLineUsageError(CliRun.Of("analyze", Incident, "--output", "/proc/version/report.txt"), "cannot write the report");
    }
}
