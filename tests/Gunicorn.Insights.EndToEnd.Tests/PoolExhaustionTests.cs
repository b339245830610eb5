using System.Globalization;
using Gunicorn.Insights.EndToEnd.Tests.Scenarios;
using Gunicorn.Insights.EndToEnd.Tests.Servers;
using Gunicorn.Insights.EndToEnd.Tests.Traffic;
using Gunicorn.Insights.Observations;
using Xunit.Abstractions;

namespace Gunicorn.Insights.EndToEnd.Tests;

/// <summary>Scenario 2: one sync worker and more concurrent slow requests than it can serve.</summary>
public sealed class PoolExhaustionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Queued_requests_wait_longer_than_gunicorn_logs_and_the_queueing_is_diagnosed()
    {
        using var scenario = new ScenarioFolder(output, "pool-exhaustion");
        using var gunicorn = await GunicornServer.StartAsync(scenario, new GunicornSettings { Workers = 1, LogBusyWorkers = true });
        var load = new LoadDriver(gunicorn.Address);

        var requests = Enumerable.Range(1, 8).Select(i => string.Create(CultureInfo.InvariantCulture, $"/slow?s=0.3&id={i}")).ToArray();
        var results = await load.RunAsync(requests, clients: 8, TimeSpan.FromSeconds(10));
        await gunicorn.StopAsync();

        var analysis = ScenarioAnalysis.Of(gunicorn.Artifacts);
        var accessLog = gunicorn.ReadAccessLog();
        var logged = AccessLogDurations(accessLog);
        scenario.Verify(analysis, () =>
        {
            results.Should().HaveCount(8).And.OnlyContain(r => r.Status == 200);
            var waits = results.Select(r => (r.Path, Client: r.Elapsed, Gunicorn: logged[r.Path])).OrderBy(w => w.Client).ToList();
            foreach (var (path, client, logs) in waits)
            {
                output.WriteLine($"{path}: client {client.TotalSeconds:0.000} s, Gunicorn's rt {logs.TotalSeconds:0.000} s");
            }

            // Gunicorn logs only the 0.3 s each request ran in the worker (a loaded machine stretches it a little, never to
            // the 2.4 s the whole queue takes); the client also waited for the worker.
            waits.Should().OnlyContain(w => w.Gunicorn >= TimeSpan.FromSeconds(0.3) && w.Gunicorn < TimeSpan.FromSeconds(1.2));
            waits.Count(w => w.Client - w.Gunicorn >= TimeSpan.FromSeconds(0.25)).Should().BeGreaterThanOrEqualTo(6);
            waits[^1].Client.Should().BeGreaterThan(waits[^1].Gunicorn * 6, "the last request queued behind the seven others");

            analysis.Read.Problems.Should().BeEmpty();
            var samples = accessLog.Count;
            var queueTime = analysis.Single("GI3003");
            queueTime.Message.Should().StartWith("Gunicorn's request duration (gunicorn_access_log_request_duration_seconds")
                .And.Contain("starts only after a worker accepts the connection, so time spent waiting in the listen backlog (backlog 2048) is not in it")
                .And.Contain($"all 1 workers busy in {samples} of {samples} samples (100 %)")
                .And.Contain("no proxy-side timing was found");
            var backlog = analysis.Single("GI2004");
            backlog.Message.Should().StartWith($"The worker pool was saturated (the only worker busy in {samples} of {samples} samples (100 %))");
            backlog.Evidence.Select(e => e.Location).Should().Contain([new SourceLocation(gunicorn.AccessLog, 1), new SourceLocation(gunicorn.ConfigFile, 2)]);
            analysis.Single("GI2005").Message.Should().StartWith("Gunicorn runs a single worker (set with workers) while it was saturated");
            analysis.Ids.Should().NotContain(["GI2003", "GI2001"], "a single worker is GI2005's case, and no deadline cut these requests off");
            analysis.Inconclusive("GI2001").Should().ContainSingle().Which.Message.Should().Contain($"the request-duration histogram holds only {samples} requests");
        });
    }

    [Fact]
    public async Task Behind_nginx_the_queued_requests_end_exactly_at_proxy_read_timeout_and_the_cluster_is_diagnosed()
    {
        using var scenario = new ScenarioFolder(output, "deadline-hang");
        using var gunicorn = await GunicornServer.StartAsync(scenario, new GunicornSettings
        {
            Bind = ServerAddress.Unix(scenario.PathOf("gunicorn/gunicorn.sock")),
            Workers = 1,
            LogBusyWorkers = true,
        });
        using var nginx = await NginxServer.StartAsync(scenario, gunicorn.Address, proxyReadTimeout: "2s");
        var load = new LoadDriver(nginx.Address);

        // One worker serves 20 of these a second; 50 clients keep far more than 40 (two seconds' worth) waiting.
        var requests = Enumerable.Range(1, 120).Select(i => string.Create(CultureInfo.InvariantCulture, $"/slow?s=0.05&id={i}")).ToArray();
        var results = await load.RunAsync(requests, clients: 50, TimeSpan.FromSeconds(20));
        await nginx.StopAsync();
        await gunicorn.StopAsync();

        var analysis = ScenarioAnalysis.Of([.. gunicorn.Artifacts, .. nginx.Artifacts]);
        var nginxConfig = File.ReadAllLines(nginx.ConfigFile);
        var readTimeoutLine = Array.FindIndex(nginxConfig, l => l.Trim() == "proxy_read_timeout 2s;") + 1;
        var nginxRequests = File.ReadAllLines(nginx.AccessLog).Length;
        var upstreamTimeouts = File.ReadAllLines(nginx.ErrorLog).Count(l => l.Contains("upstream timed out (110: Connection timed out) while reading response header", StringComparison.Ordinal));
        scenario.Verify(analysis, () =>
        {
            var gatewayTimeouts = results.Where(r => r.Status == 504).ToList();
            output.WriteLine($"{gatewayTimeouts.Count} of {results.Count} answered 504");
            results.Should().HaveCount(120).And.OnlyContain(r => r.Status == 200 || r.Status == 504);
            gatewayTimeouts.Count.Should().BeGreaterThanOrEqualTo(60, "most requests wait for the single worker longer than nginx does");
            gatewayTimeouts.Should().OnlyContain(r => r.Elapsed >= TimeSpan.FromSeconds(1.9) && r.Elapsed < TimeSpan.FromSeconds(3),
                "nginx cuts every waiting request off at exactly its proxy_read_timeout");
            upstreamTimeouts.Should().Be(gatewayTimeouts.Count);

            analysis.Read.Problems.Should().BeEmpty();
            var hang = analysis.Single("GI2001");
            hang.Message.Should().MatchRegex(
                $"^[0-9]+ of {nginxRequests} requests \\([0-9.]+ %\\) took between [0-9.]+ m?s and 3 s, at the nginx proxy_read_timeout of 2 s, while the worker pool was exhausted: the only worker busy in [0-9]+ of [0-9]+ samples \\(100 %\\)$");
            int.Parse(hang.Message.Split(' ')[0], CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(gatewayTimeouts.Count);
            hang.Evidence[0].Location.Should().Be(new SourceLocation(nginx.AccessLog, 1));
            hang.Evidence.Should().Contain(e => e.Location == new SourceLocation(nginx.ConfigFile, readTimeoutLine) && e.Text == "proxy_read_timeout = 2s");
            analysis.Single("GI4004").Message.Should().StartWith(
                $"nginx answered {gatewayTimeouts.Count} request(s) with 504 after waiting its proxy_read_timeout of 2 s, while Gunicorn's worker timeout is 30 s (Gunicorn's default); the worker pool was exhausted");
            analysis.Ids.Should().Contain(["GI2004", "GI2005"]);
        });
    }

    /// <summary>The request time (<c>rt=</c>) Gunicorn logged for each request line's path and query.</summary>
    private static Dictionary<string, TimeSpan> AccessLogDurations(IEnumerable<string> lines) =>
        lines.Where(l => l.Contains("\"GET /slow?", StringComparison.Ordinal)).ToDictionary(
            l => l.Split('"')[1].Split(' ')[1],
            l => TimeSpan.FromSeconds(double.Parse(l[(l.IndexOf(" rt=", StringComparison.Ordinal) + 4)..].Split(' ')[0], CultureInfo.InvariantCulture)));
}
