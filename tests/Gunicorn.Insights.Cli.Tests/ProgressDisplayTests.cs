using Gunicorn.Insights.Cli.Terminal;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Cli.Tests;

public sealed class ProgressDisplayTests
{
    [Fact]
    public void The_line_shows_files_bytes_lines_and_rate_once_reading_is_done()
    {
        var progress = new ReadProgress();
        var incident = Path.Combine(CliRun.RepositoryRoot, CliRun.Example("incident-web-1"));
        BuiltInReaders.Create().Read([new ArtifactRequest(incident)], progress);

        var line = ProgressDisplay.Line(progress, TimeSpan.FromSeconds(2), p => p);

        progress.FilesDone.Should().Be(7);
        progress.BytesRead.Should().Be(progress.BytesOnDisk);
        line.Should().Be($"reading 7/7   {progress.BytesRead / 1024.0:0.0} KiB of {progress.BytesOnDisk / 1024.0:0.0} KiB  1,262 lines  {progress.BytesRead / 2048.0:0.0} KiB/s");
    }

    [Fact]
    public void Nothing_but_the_report_reaches_redirected_streams()
    {
        var run = CliRun.Of("analyze", CliRun.Example("incident-web-1"));

        run.Error.Should().BeEmpty();
        run.Output.Should().NotContain("\r").And.NotContain("reading 7/7");
    }
}
