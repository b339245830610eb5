using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Nginx;

namespace Gunicorn.Insights.Readers.Tests.Nginx;

public sealed class NginxErrorLogReaderTests
{
    private static string Sample(string name) => MutatedInputs.Sample("nginx", name);

    private static ReadContext Read(string name)
    {
        var context = new ReadContext(name);
        new NginxErrorLogReader().Read(LineSource.FromFile(Sample(name)), context);
        return context;
    }

    private static LogSignature Signature(ReadContext context, LogSignatureKind kind) =>
        context.Observations.OfType<LogSignature>().Single(s => s.Kind == kind);

    private static DateTimeOffset At(int hour, int minute, int second) => new(2026, 11, 23, hour, minute, second, TimeSpan.Zero);

    [Fact]
    public void Upstream_failures_become_signatures_with_times_examples_and_locations()
    {
        var context = Read("error.log");

        context.Problems.Should().BeEmpty();
        context.Observations.OfType<LogSignature>().Select(s => (s.Kind, s.Count)).Should().Equal(
            (LogSignatureKind.UpstreamPrematurelyClosed, 2), (LogSignatureKind.UpstreamTimedOut, 2), (LogSignatureKind.UpstreamConnectFailed, 3));

        var closed = Signature(context, LogSignatureKind.UpstreamPrematurelyClosed);
        closed.Examples.Select(e => e.Location.ToString()).Should().Equal("error.log:5", "error.log:11");
        closed.Examples[0].Text.Should().Be(File.ReadLines(Sample("error.log")).ElementAt(4));
        closed.FirstSeen.Should().Be(At(23, 45, 22));
        closed.LastSeen.Should().Be(At(23, 50, 5));
        closed.Pids.Should().BeEmpty("nginx's pids are not Gunicorn workers");
        closed.Timeline!.Total.Should().Be(2);

        var connect = Signature(context, LogSignatureKind.UpstreamConnectFailed);
        connect.Examples.Select(e => e.Location.Line).Should().Equal(6, 7, 12);
        connect.Examples[0].Text.Should().Contain("connect() to unix:/run/gunicorn.sock failed (11: Resource temporarily unavailable)");
        connect.Examples[1].Text.Should().Contain("(111: Connection refused)");
        connect.Examples[2].Text.Should().Contain("upstream timed out (110: Connection timed out) while connecting to upstream");

        var timedOut = Signature(context, LogSignatureKind.UpstreamTimedOut);
        timedOut.Source.ToString().Should().Be("error.log:9");
        timedOut.Examples[0].Text.Should().Contain("request: \"GET /reports/annual?token=*** HTTP/1.1\"").And.NotContain("abc123");
        timedOut.FirstSeen.Should().Be(At(23, 48, 22));
    }

    [Fact]
    public void The_version_and_the_lines_per_level_are_kept()
    {
        var context = Read("error.log");

        context.Observations.OfType<SoftwareVersion>().Should().ContainSingle().Which.Should().Match<SoftwareVersion>(v =>
            v.Component == "nginx" && v.Version == new Version(1, 24, 0) && v.Source.Line == 2 && v.Timestamp == At(23, 40, 1));
        context.Observations.OfType<Counter>().Select(c => $"{c.Name}{{level={c.Labels["level"]}}} {c.Value} at {c.Source.Line}").Should().Equal(
            "nginx_error_log_lines{level=notice} 4 at 1",
            "nginx_error_log_lines{level=warn} 1 at 8",
            "nginx_error_log_lines{level=error} 7 at 5",
            "nginx_error_log_lines{level=crit} 1 at 13");
        context.Observations.OfType<Counter>().Single(c => c.Labels["level"] == "error").Window.Should().Be(TimeSpan.FromSeconds(338));
        context.FirstTimestamp.Should().Be(At(23, 40, 1));
        context.LastTimestamp.Should().Be(At(23, 52, 0));
    }

    [Fact]
    public void A_containers_output_with_access_lines_mixed_in_is_read_whole()
    {
        var context = Read("docker.log");

        Signature(context, LogSignatureKind.UpstreamPrematurelyClosed).Examples[0].Location.Line.Should().Be(6);
        Signature(context, LogSignatureKind.Http502).Examples[0].Location.Line.Should().Be(7);
        context.Observations.OfType<TrafficSummary>().First().Should().Match<TrafficSummary>(t => t.Path == null && t.Requests == 2 && t.Logger == "nginx");
        context.Observations.OfType<SoftwareVersion>().Single().Version.Should().Be(new Version(1, 25, 3));
        context.Problems.Select(p => p.Message).Should().Equal("2 nginx access-log line(s) among the error-log lines were read as access-log lines");
    }

    [Fact]
    public void Lines_in_no_nginx_format_are_reported_and_skipped()
    {
        var context = new ReadContext("error.log");
        new NginxErrorLogReader().Read(LineSource.FromText("error.log",
            "2026/11/23 23:45:22 [error] 31#31: *4 upstream prematurely closed connection while reading response header from upstream\n"
            + "2026/13/45 99:99:99 [error] 31#31: bad date\n"
            + "2026/11/23 23:45:23 [loud] 31#31: unknown level\n"
            + "\n"
            + "2026/11/23 23:45:24 [error] 31#31: *5 upstream timed out (110: Connection timed out) while reading upstream\n"), context);

        context.Problems.Select(p => p.Location.Line).Should().Equal(2, 3);
        Signature(context, LogSignatureKind.UpstreamPrematurelyClosed).Count.Should().Be(1);
        Signature(context, LogSignatureKind.UpstreamTimedOut).Examples[0].Location.Line.Should().Be(5);
    }

    [Fact]
    public void Docker_timestamps_and_kubernetes_json_are_unwrapped()
    {
        var context = new ReadContext("nginx.log");
        new NginxErrorLogReader().Read(LineSource.FromText("nginx.log",
            "2026-11-23T23:45:22.123456789Z 2026/11/23 23:45:22 [error] 29#29: *3 upstream prematurely closed connection while reading response header from upstream\n"
            + "{\"log\":\"2026/11/23 23:45:23 [error] 29#29: *4 connect() to 10.0.0.3:8000 failed (111: Connection refused) while connecting to upstream\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-23T23:45:23.1Z\"}\n"), context);

        context.Problems.Should().BeEmpty();
        Signature(context, LogSignatureKind.UpstreamPrematurelyClosed).FirstSeen.Should().Be(At(23, 45, 22));
        Signature(context, LogSignatureKind.UpstreamConnectFailed).Examples[0].Text.Should().StartWith("2026/11/23 23:45:23 [error]");
    }

    [Fact]
    public void The_reader_recognises_nginx_error_logs_and_not_gunicorn_ones()
    {
        var reader = new NginxErrorLogReader();

        reader.Recognize("error.log", File.ReadAllLines(Sample("error.log"))).Should().BeGreaterThan(80);
        reader.Recognize("nginx.log", File.ReadAllLines(Sample("docker.log"))).Should().BeGreaterThan(60);
        reader.Recognize("error.log", File.ReadAllLines(MutatedInputs.Sample("gunicorn", "error-23.log"))).Should().Be(0);
        reader.Recognize("access.log", File.ReadAllLines(Sample("access.log"))).Should().Be(0);
        new GunicornErrorLogReader().Recognize("error.log", File.ReadAllLines(Sample("error.log"))).Should().Be(0);
        new NginxAccessLogReader().Recognize("error.log", File.ReadAllLines(Sample("error.log"))).Should().Be(0);
    }

    [Fact]
    public void NginxErrorLogReader_survives_mutated_input()
    {
        var elapsed = MutatedInputs.Run(new NginxErrorLogReader(), [Sample("error.log"), Sample("docker.log"), Sample("access.log")], seed: 2);

        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }
}
