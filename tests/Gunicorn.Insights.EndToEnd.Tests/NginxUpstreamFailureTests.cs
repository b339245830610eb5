using Gunicorn.Insights.EndToEnd.Tests.Processes;
using Gunicorn.Insights.EndToEnd.Tests.Scenarios;
using Gunicorn.Insights.EndToEnd.Tests.Servers;
using Gunicorn.Insights.EndToEnd.Tests.Traffic;
using Gunicorn.Insights.Observations;
using Xunit.Abstractions;

namespace Gunicorn.Insights.EndToEnd.Tests;

/// <summary>
/// Scenario 3: nginx in front of Gunicorn, over a Unix socket and over loopback TCP, with Gunicorn configured by
/// command-line flags. A worker killed mid-request gives nginx a prematurely closed upstream (502); a request slower
/// than <c>proxy_read_timeout</c> an upstream timeout (504).
/// </summary>
public sealed class NginxUpstreamFailureTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_killed_worker_and_a_proxy_timeout_are_diagnosed_and_only_the_tcp_hop_is_flagged(bool unixSocket)
    {
        using var scenario = new ScenarioFolder(output, unixSocket ? "nginx-unix" : "nginx-tcp");
        using var gunicorn = await GunicornServer.StartAsync(scenario, new GunicornSettings
        {
            Bind = unixSocket ? ServerAddress.Unix(scenario.PathOf("gunicorn/gunicorn.sock")) : ServerAddress.FreeTcp(),
            Workers = 1,
            LogLevel = "debug",
            OnCommandLine = true,
        });
        using var nginx = await NginxServer.StartAsync(scenario, gunicorn.Address, proxyReadTimeout: "2s");
        var load = new LoadDriver(nginx.Address);

        var victim = gunicorn.BootedWorkers().Single();
        var killedRequest = load.GetAsync("/slow?s=10&id=1");
        // Gunicorn's default pre_request hook logs each request at debug level: once this line is there, the worker has it.
        await gunicorn.WaitForErrorLogAsync(l => l.Contains($"[{victim}] [DEBUG] GET /slow", StringComparison.Ordinal), TimeSpan.FromSeconds(5),
            "the worker to start the slow request");
        ProcessSignals.Send(victim, ProcessSignals.Kill);
        var killed = await killedRequest;
        await gunicorn.WaitForErrorLogAsync(l => l.Contains("Booting worker with pid: ", StringComparison.Ordinal) && !l.EndsWith($" {victim}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5), "the replacement worker to boot");
        var timedOut = await load.GetAsync("/slow?s=3&id=2");
        // The worker goes on with the abandoned request; once it answers directly again, the shutdown kills nothing mid-request.
        var afterwards = await new LoadDriver(gunicorn.Address).GetAsync("/health?id=3");
        await nginx.StopAsync();
        await gunicorn.StopAsync();

        var analysis = ScenarioAnalysis.Of([.. gunicorn.Artifacts, .. nginx.Artifacts]);
        var errorLog = File.ReadAllLines(gunicorn.ErrorLog);
        var nginxErrors = File.ReadAllLines(nginx.ErrorLog);
        var killLine = Array.FindIndex(errorLog, l => l.EndsWith($"[WARNING] Worker with pid {victim} was terminated due to signal 9", StringComparison.Ordinal)) + 1;
        var closedLine = Array.FindIndex(nginxErrors, l => l.Contains("upstream prematurely closed connection while reading response header from upstream", StringComparison.Ordinal)) + 1;
        var timedOutLine = Array.FindIndex(nginxErrors, l => l.Contains("upstream timed out (110: Connection timed out) while reading response header from upstream", StringComparison.Ordinal)) + 1;
        var proxyPassLine = Array.FindIndex(File.ReadAllLines(nginx.ConfigFile), l => l.Trim() == $"proxy_pass {gunicorn.Address.ProxyPass};") + 1;
        scenario.Verify(analysis, () =>
        {
            killed.Status.Should().Be(502);
            timedOut.Status.Should().Be(504);
            timedOut.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.9)).And.BeLessThan(TimeSpan.FromSeconds(3.5), "nginx, not the app, ended it (the 504 says so too)");
            afterwards.Status.Should().Be(200);

            // Gunicorn 20.1 words an outside SIGKILL its own way; the "was sent SIGKILL!" line came with 21.0.
            killLine.Should().BePositive();
            errorLog.Should().NotContain(l => l.Contains("was sent SIGKILL!", StringComparison.Ordinal));
            nginxErrors[closedLine - 1].Should().Contain("request: \"GET /slow?s=10&id=1 HTTP/1.1\"");
            nginxErrors[timedOutLine - 1].Should().Contain("request: \"GET /slow?s=3&id=2 HTTP/1.1\"");

            analysis.Read.Problems.Should().BeEmpty();
            var proxyTimeout = analysis.Single("GI4004");
            proxyTimeout.Message.Should().StartWith(
                "nginx answered 1 request(s) with 504 after waiting its proxy_read_timeout of 2 s, while Gunicorn's worker timeout is 30 s; "
                + "nginx stops waiting no later than Gunicorn's worker timeout, so a request still running keeps its sync worker busy");
            proxyTimeout.Evidence[0].Location.Should().Be(new SourceLocation(nginx.ErrorLog, timedOutLine));
            proxyTimeout.Evidence.Select(e => e.Location).Should().Contain(new SourceLocation(nginx.ConfigFile, proxyPassLine + 1));

            // The kill came from outside Gunicorn: not blamed on a worker timeout, but on what kills from outside.
            analysis.Ids.Should().NotContain("GI4003");
            var outsideKill = analysis.Inconclusive("GI6007").Should().ContainSingle().Subject;
            outsideKill.Message.Should().Contain($"1 worker(s) (pids {victim}) were sent SIGKILL with no WORKER TIMEOUT before them, as the kernel's OOM killer does");
            outsideKill.Evidence.Select(e => e.Location).Should().Contain(new SourceLocation(gunicorn.ErrorLog, killLine));

            if (unixSocket)
            {
                analysis.Ids.Should().NotContain("GI4001", "nginx already reaches Gunicorn through its Unix socket");
            }
            else
            {
                var tcpHop = analysis.Single("GI4001");
                tcpHop.Message.Should().StartWith(
                    $"nginx reaches Gunicorn over loopback TCP (proxy_pass {gunicorn.Address.ProxyPass}) while Gunicorn listens on {gunicorn.Address.GunicornBind}");
                tcpHop.Evidence[0].Location.Should().Be(new SourceLocation(nginx.ConfigFile, proxyPassLine));
            }
        });
    }
}
