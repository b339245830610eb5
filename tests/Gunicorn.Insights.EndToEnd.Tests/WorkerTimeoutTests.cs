using Gunicorn.Insights.EndToEnd.Tests.Scenarios;
using Gunicorn.Insights.EndToEnd.Tests.Servers;
using Gunicorn.Insights.EndToEnd.Tests.Traffic;
using Gunicorn.Insights.Observations;
using Xunit.Abstractions;

namespace Gunicorn.Insights.EndToEnd.Tests;

/// <summary>Scenario 1: a sync worker handling a request slower than <c>--timeout</c>.</summary>
public sealed class WorkerTimeoutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_request_slower_than_the_timeout_gets_its_worker_killed_and_the_diagnosis_cites_the_real_error_log_line()
    {
        using var scenario = new ScenarioFolder(output, "worker-timeout");
        using var gunicorn = await GunicornServer.StartAsync(scenario, new GunicornSettings { Workers = 1, Timeout = 2 });
        var load = new LoadDriver(gunicorn.Address);
        var stuckWorker = gunicorn.BootedWorkers().Single();

        var before = await load.RunAsync(["/health?id=1", "/slow?s=0.2&id=2"], clients: 1, TimeSpan.FromSeconds(5));
        var stuck = await load.GetAsync("/slow?s=5&id=3");
        await gunicorn.WaitForErrorLogAsync(l => l.Contains("Booting worker with pid: ", StringComparison.Ordinal) && !l.EndsWith($" {stuckWorker}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5), "the replacement worker to boot");
        var after = await load.GetAsync("/health?id=4");
        await gunicorn.StopAsync();

        var analysis = ScenarioAnalysis.Of(gunicorn.Artifacts);
        var errorLog = File.ReadAllLines(gunicorn.ErrorLog);
        var timeoutLine = Array.FindIndex(errorLog, l => l.EndsWith($"[CRITICAL] WORKER TIMEOUT (pid:{stuckWorker})", StringComparison.Ordinal)) + 1;
        scenario.Verify(analysis, () =>
        {
            before.Select(r => r.Status).Should().Equal(200, 200);
            stuck.Status.Should().Be(0, "the master aborts the worker mid-request, so the connection closes without any response");
            // The last heartbeat came up to half the timeout before the request; the master checks about once a second.
            stuck.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1)).And.BeLessThan(TimeSpan.FromSeconds(4.5));
            after.Status.Should().Be(200, "the master booted a replacement worker");

            // What Gunicorn 20.1 really writes for a timeout: the master's CRITICAL line, the worker's exit, a new boot.
            timeoutLine.Should().BePositive();
            errorLog[timeoutLine..].Should().Contain(l => l.EndsWith($"[INFO] Worker exiting (pid: {stuckWorker})", StringComparison.Ordinal));
            gunicorn.BootedWorkers().Should().HaveCount(2);
            gunicorn.ReadAccessLog().Should().Contain(l => l.Contains("id=2 ", StringComparison.Ordinal))
                .And.NotContain(l => l.Contains("id=3 ", StringComparison.Ordinal), "Gunicorn writes no access line for a request its worker died in");

            analysis.Read.Problems.Should().BeEmpty();
            var timeout = analysis.Single("GI1001");
            timeout.Message.Should().StartWith("Gunicorn logged 1 WORKER TIMEOUT line(s) for 1 worker(s); the worker timeout is 2 s;");
            timeout.Evidence[0].Location.Should().Be(new SourceLocation(gunicorn.ErrorLog, timeoutLine));
            timeout.Evidence[0].Text.Should().EndWith(errorLog[timeoutLine - 1]);
            timeout.Evidence.Should().Contain(e => e.Location == new SourceLocation(gunicorn.ConfigFile, 4) && e.Text == "timeout = 2");
            var tooLow = analysis.Single("GI1002");
            tooLow.Message.Should().Contain("while the worker timeout was 2 s").And.Contain("every request slower than 2 s is aborted with its worker");
            tooLow.Evidence[0].Location.Should().Be(new SourceLocation(gunicorn.ErrorLog, timeoutLine));
        });
    }
}
