using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Gunicorn.Insights.Cli.Tests;

public sealed class WatchCommandTests
{
    private static string Line(DateTimeOffset at, string text) =>
        $"[{at.UtcDateTime:yyyy-MM-dd HH:mm:ss} +0000] {text}\n";

    private static string Boot(DateTimeOffset at) =>
        Line(at, "[7657] [INFO] Starting gunicorn 23.0.0") + Line(at, "[7685] [INFO] Booting worker with pid: 7685");

    private static string Timeout(DateTimeOffset at, int pid) => Line(at, $"[7657] [CRITICAL] WORKER TIMEOUT (pid:{pid})");

    private static DateTimeOffset TimeOf(string line) =>
        DateTimeOffset.ParseExact(line[..20], "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [Fact]
    public async Task A_log_that_gains_worker_timeouts_while_watched_prints_a_firing_line_with_the_first_timeout()
    {
        using var scratch = new ScratchFolder();
        var log = scratch.Write("error.log", Boot(DateTimeOffset.UtcNow));
        scratch.Write("gunicorn.conf.py", "timeout = 120\nworkers = 4\n");

        var watching = Task.Run(() => CliRun.In(scratch.Path, "watch", "error.log", "gunicorn.conf.py", "--interval", "100ms", "--duration", "4s"));
        await Task.Delay(1000);
        var appended = DateTimeOffset.UtcNow;
        File.AppendAllText(log, Timeout(appended, 7685) + Timeout(appended, 7686));
        var run = await watching;

        run.ExitCode.Should().Be(0);
        run.Error.Should().BeEmpty();
        var lines = run.Output.TrimEnd().Split('\n');
        var firing = lines.Should().ContainSingle(l => l.Contains(" GI1001 ", StringComparison.Ordinal)).Subject;
        firing.Should().EndWith(" (error.log:3)");
        firing[20..].Should().StartWith(" FIRING GI1001 warning: Gunicorn logged 2 WORKER TIMEOUT line(s) for 2 worker(s); the worker timeout is 120 s");
        TimeOf(firing).Should().BeOnOrAfter(appended.AddSeconds(-1)).And.BeOnOrBefore(DateTimeOffset.UtcNow);
        lines.Select(l => l.Substring(20, 8)).Should().OnlyContain(s => s == " FIRING ", "nothing resolves within the 15-minute window");
    }

    [Fact]
    public void Once_reads_what_is_there_and_json_prints_one_object_per_change()
    {
        using var scratch = new ScratchFolder();
        var now = DateTimeOffset.UtcNow;
        scratch.Write("error.log", Boot(now) + Timeout(now, 7685));

        var run = CliRun.In(scratch.Path, "watch", "error.log", "--once", "--format", "json");

        run.ExitCode.Should().Be(0);
        var changes = run.Output.TrimEnd().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var timeout = changes.Should().ContainSingle(c => c.GetProperty("id").GetString() == "GI1001").Subject;
        timeout.GetProperty("state").GetString().Should().Be("firing");
        timeout.GetProperty("severity").GetString().Should().Be("warning");
        timeout.GetProperty("message").GetString().Should().StartWith("Gunicorn logged 1 WORKER TIMEOUT line(s) for 1 worker(s)");
        timeout.GetProperty("evidence")[0].GetProperty("source").GetString().Should().Be("error.log:3");
        TimeOf(timeout.GetProperty("at").GetString()!).Should().BeOnOrAfter(now.AddSeconds(-1));
    }

    [Fact]
    public void Timeouts_older_than_the_window_fire_nothing()
    {
        using var scratch = new ScratchFolder();
        var old = DateTimeOffset.UtcNow.AddMinutes(-20);
        scratch.Write("error.log", Boot(old) + Timeout(old, 7685));

        var run = CliRun.In(scratch.Path, "watch", "error.log", "--once", "--window", "15m");

        run.ExitCode.Should().Be(0);
        run.Output.Should().NotContain("GI1001");
        CliRun.In(scratch.Path, "watch", "error.log", "--once", "--window", "30m").Output.Should().Contain("FIRING GI1001 ");
    }

    [Fact]
    public async Task A_scraped_endpoint_fires_on_a_slow_histogram_and_resolves_when_the_next_snapshot_is_fast()
    {
        var slow = Histogram((0.5, 20), (1, 40), (2.5, 100), (5, 190));
        var fast = Histogram((0.5, 190), (1, 198), (2.5, 200), (5, 200));
        using var endpoint = new SnapshotEndpoint(slow, slow, fast);

        var run = await Task.Run(() => CliRun.Of("watch", "--scrape", endpoint.Url, "--interval", "200ms", "--duration", "4s"));

        run.ExitCode.Should().Be(0);
        run.Error.Should().BeEmpty();
        var p95 = run.Output.TrimEnd().Split('\n').Where(l => l.Contains(" GI3001 ", StringComparison.Ordinal)).ToArray();
        p95.Select(l => l[21..28]).Should().Equal("FIRING ", "RESOLVE");
        p95[0].Should().Contain(" FIRING GI3001 warning: P95 request duration is 5 s over 200 requests in gunicorn_request_duration_seconds (limit 2 s)")
            .And.EndWith($"({endpoint.Url}:3)");
        endpoint.Requests.Should().BeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public void An_unreachable_scrape_target_is_reported_once_on_stderr_and_the_watch_goes_on()
    {
        var run = CliRun.Of("watch", "--scrape", "http://127.0.0.1:9/metrics", "--interval", "100ms", "--duration", "3s");

        run.ExitCode.Should().Be(0);
        run.Output.Should().BeEmpty();
        run.Error.TrimEnd().Split('\n').Should().ContainSingle()
            .Which.Should().StartWith("gunicorn-insights: error: http://127.0.0.1:9/metrics: scrape failed: ");
    }

    [Theory]
    [InlineData("--interval", "soon", "--interval takes a positive duration such as 500ms, 15s, 15m or 2h, not 'soon'")]
    [InlineData("--window", "0s", "--window takes a positive duration")]
    [InlineData("--scrape", "ftp://web-1/metrics", "--scrape takes an http:// or https:// URL, not 'ftp://web-1/metrics'")]
    public void Bad_values_are_usage_errors(string option, string value, string message)
    {
        using var scratch = new ScratchFolder();
        scratch.Write("error.log", "");

        var run = CliRun.In(scratch.Path, "watch", "error.log", option, value, "--once");

        run.ExitCode.Should().Be(2);
        run.Error.Should().StartWith($"gunicorn-insights: error: {message}");
    }

    [Fact]
    public void Nothing_to_watch_is_a_usage_error()
    {
        var run = CliRun.Of("watch", "--once");

        run.ExitCode.Should().Be(2);
        run.Error.Should().Be("gunicorn-insights: error: nothing to watch: give files or folders to follow, or --scrape URL" + Environment.NewLine);
    }

    [Fact]
    public void Help_shows_the_options_and_examples()
    {
        var run = CliRun.Of("watch", "--help");

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("--scrape <URL>").And.Contain("--interval <DURATION>").And.Contain("--window <DURATION>")
            .And.Contain("--once").And.Contain("--duration <DURATION>")
            .And.Contain("gunicorn-insights watch logs/ --scrape http://127.0.0.1:9100/metrics --interval 30s");
    }

    private static string Histogram(params (double UpperBound, int Count)[] buckets)
    {
        var text = new StringBuilder("# HELP gunicorn_request_duration_seconds Request duration.\n# TYPE gunicorn_request_duration_seconds histogram\n");
        foreach (var (bound, count) in buckets)
        {
            text.Append(CultureInfo.InvariantCulture, $"gunicorn_request_duration_seconds_bucket{{le=\"{bound}\"}} {count}\n");
        }

        text.Append("gunicorn_request_duration_seconds_bucket{le=\"+Inf\"} 200\ngunicorn_request_duration_seconds_count 200\n");
        return text.ToString();
    }

    /// <summary>An HTTP server on 127.0.0.1 serving the given expositions in turn, the last one from then on.</summary>
    private sealed class SnapshotEndpoint : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly string[] _bodies;
        private int _requests;

        public SnapshotEndpoint(params string[] bodies)
        {
            _bodies = bodies;
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/metrics";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public int Requests => Volatile.Read(ref _requests);

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var index = Interlocked.Increment(ref _requests) - 1;
                var body = Encoding.UTF8.GetBytes(_bodies[Math.Min(index, _bodies.Length - 1)]);
                context.Response.ContentType = "text/plain; version=0.0.4";
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
    }
}
