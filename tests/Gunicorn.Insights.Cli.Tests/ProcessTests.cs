using System.Diagnostics;

namespace Gunicorn.Insights.Cli.Tests;

/// <summary>The built tool run as its own process, as a shell runs it: exit codes, streams, no stack traces.</summary>
public sealed class ProcessTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "gunicorn-insights.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = CliRun.RepositoryRoot };
        start.ArgumentList.Add(tool);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit(TimeSpan.FromMinutes(2)).Should().BeTrue();
        return (process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void Analyze_exits_1_with_diagnoses_on_stdout_and_nothing_on_stderr()
    {
        var (code, output, error) = Run("analyze", "docs/examples/incident-web-1");

        code.Should().Be(1);
        output.Should().StartWith("GI1002 critical: Worker killed when timeout setting too low or missing");
        error.Should().BeEmpty();
    }

    [Fact]
    public void A_usage_error_exits_2_with_one_line_on_stderr()
    {
        var (code, output, error) = Run("analyze", "does/not/exist");

        code.Should().Be(2);
        output.Should().BeEmpty();
        error.Should().Be("gunicorn-insights: error: no readable input: does/not/exist: error: no such file or folder\n");
    }

    [Fact]
    public void Version_prints_the_semantic_version()
    {
        var (code, output, _) = Run("--version");

        code.Should().Be(0);
        output.Trim().Should().MatchRegex(@"^\d+\.\d+\.\d+");
    }

    [Theory]
    [InlineData("analyze")]
    [InlineData("observe")]
    [InlineData("rules")]
    [InlineData("explain")]
    public void Every_command_has_help_with_examples(string command)
    {
        var (code, output, _) = Run(command, "--help");

        code.Should().Be(0);
        output.Should().Contain("Examples:").And.Contain($"gunicorn-insights {command}");
    }
}
