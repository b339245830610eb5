using System.Globalization;
using Gunicorn.Insights.EndToEnd.Tests.Scenarios;
using Gunicorn.Insights.EndToEnd.Tests.Servers;
using Gunicorn.Insights.EndToEnd.Tests.Traffic;
using Gunicorn.Insights.Observations.Metrics;
using Xunit.Abstractions;

namespace Gunicorn.Insights.EndToEnd.Tests;

/// <summary>Scenario 4: the same I/O-bound traffic against two sync workers and against two gevent workers.</summary>
public sealed class AsyncWorkerTests(ITestOutputHelper output)
{
    /// <summary>The diagnoses that say the worker pool ran out of workers.</summary>
    private static readonly string[] PoolExhaustion = ["GI2001", "GI2002", "GI2003", "GI2004", "GI2005", "GI3003"];

    [Fact]
    public async Task Gevent_workers_serve_the_traffic_that_exhausts_sync_workers_without_any_pool_exhaustion_diagnosis()
    {
        using var scenario = new ScenarioFolder(output, "async-workers");
        var host = HostSnapshot.Take(scenario);
        var (sync, syncResults) = await RunAsync(scenario, "sync", host);
        var (gevent, geventResults) = await RunAsync(scenario, "gevent", host);

        scenario.Verify([sync, gevent], () =>
        {
            output.WriteLine($"slowest request: sync {syncResults.Max(r => r.Elapsed)}, gevent {geventResults.Max(r => r.Elapsed)}");
            syncResults.Should().HaveCount(16).And.OnlyContain(r => r.Status == 200);
            geventResults.Should().HaveCount(16).And.OnlyContain(r => r.Status == 200);
            // Sleeps long enough that a loaded machine's overhead cannot blur four rounds against one.
            geventResults.Max(r => r.Elapsed).Should().BeLessThan(syncResults.Max(r => r.Elapsed) * 0.75,
                "gevent sleeps the eight concurrent requests together, the two sync workers four rounds in a row");

            sync.Read.Problems.Should().BeEmpty();
            var capacity = sync.Single("GI2003");
            capacity.Message.Should().StartWith(string.Create(CultureInfo.InvariantCulture,
                $"Gunicorn runs 2 worker(s) on {host.Cpus} CPU(s), below (2 × {host.Cpus}) + 1 = {(2 * host.Cpus) + 1}, and the pool was saturated (all 2 workers busy in "));
            capacity.Evidence.Select(e => e.Location.Source).Should().Contain(host.Artifacts[0], "the CPU count comes from the real nproc");
            sync.Ids.Should().Contain(["GI2004", "GI3003"]);

            gevent.Read.Problems.Should().BeEmpty();
            var samples = gevent.Read.Observations.OfType<WorkerUtilization>().ToList();
            samples.Should().HaveCountGreaterThanOrEqualTo(16, "the busy-worker count was logged, so saturation could have been seen")
                .And.OnlyContain(u => u.Total == 2000 && u.Busy <= 16);
            gevent.Ids.Should().NotContain(PoolExhaustion);
        });
    }

    private static async Task<(ScenarioAnalysis Analysis, IReadOnlyList<RequestResult> Results)> RunAsync(ScenarioFolder scenario, string workerClass, HostSnapshot host)
    {
        using var gunicorn = await GunicornServer.StartAsync(scenario, new GunicornSettings { Workers = 2, WorkerClass = workerClass, LogBusyWorkers = true }, workerClass);
        var load = new LoadDriver(gunicorn.Address);
        var requests = Enumerable.Range(1, 16).Select(i => string.Create(CultureInfo.InvariantCulture, $"/slow?s=0.6&id={i}")).ToArray();
        var results = await load.RunAsync(requests, clients: 8, TimeSpan.FromSeconds(10));
        await gunicorn.StopAsync();
        return (ScenarioAnalysis.Of([.. gunicorn.Artifacts, .. host.Artifacts]), results);
    }
}
