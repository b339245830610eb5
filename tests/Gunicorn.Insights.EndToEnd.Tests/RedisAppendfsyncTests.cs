using Gunicorn.Insights.EndToEnd.Tests.Scenarios;
using Gunicorn.Insights.EndToEnd.Tests.Servers;
using Gunicorn.Insights.EndToEnd.Tests.Traffic;
using Gunicorn.Insights.Observations;
using Xunit.Abstractions;

namespace Gunicorn.Insights.EndToEnd.Tests;

/// <summary>Scenario 5: an application writing to a Redis that fsyncs its append-only file on every write.</summary>
public sealed class RedisAppendfsyncTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Workers_stuck_on_an_always_fsyncing_redis_are_diagnosed_citing_the_real_redis_conf_line()
    {
        using var scenario = new ScenarioFolder(output, "redis-appendfsync");
        using var redis = await RedisServer.StartAsync(scenario, appendfsync: "always");
        using var gunicorn = await GunicornServer.StartAsync(scenario, new GunicornSettings { Workers = 1, Timeout = 2, Environment = redis.ApplicationEnvironment });
        var load = new LoadDriver(gunicorn.Address);

        var writes = await load.RunAsync(["/redis?id=1", "/redis?id=2", "/redis?id=3"], clients: 1, TimeSpan.FromSeconds(5));
        // CLIENT PAUSE WRITE holds every write the way a stalled fsync of the append-only file does, until it is lifted.
        var paused = redis.Command("CLIENT", "PAUSE", "20000", "WRITE");
        var stuckWorker = gunicorn.BootedWorkers().Single();
        var stuck = await load.GetAsync("/redis?id=4");
        await gunicorn.WaitForErrorLogAsync(l => l.Contains("Booting worker with pid: ", StringComparison.Ordinal) && !l.EndsWith($" {stuckWorker}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5), "the replacement worker to boot");
        var unpaused = redis.Command("CLIENT", "UNPAUSE");
        await gunicorn.StopAsync();
        await redis.StopAsync();

        var analysis = ScenarioAnalysis.Of([.. redis.Artifacts, .. gunicorn.Artifacts]);
        var config = File.ReadAllLines(redis.ConfigFile);
        var appendfsyncLine = Array.IndexOf(config, "appendfsync always") + 1;
        var appendonlyLine = Array.IndexOf(config, "appendonly yes") + 1;
        var appendOnlyFiles = Directory.GetFiles(redis.DataFolder, "*.incr.aof", SearchOption.AllDirectories);
        scenario.Verify(analysis, () =>
        {
            writes.Select(r => r.Status).Should().Equal(200, 200, 200);
            paused.Should().Be("+OK");
            unpaused.Should().Be("+OK");
            stuck.Status.Should().Be(0, "the worker waiting on Redis was aborted by the 2 s timeout");
            appendOnlyFiles.Should().ContainSingle();
            File.ReadAllText(appendOnlyFiles[0]).Should().Contain("app:writes", "every INCR went through the append-only file");

            analysis.Read.Problems.Should().BeEmpty();
            var redisBlocking = analysis.Single("GI6001");
            redisBlocking.Message.Should().Be(
                "Gunicorn logged 1 WORKER TIMEOUT line(s) (timeout 2 s) while the Redis it uses has appendonly yes with appendfsync always, "
                + "so every write waits for fsync to reach the disk");
            redisBlocking.Evidence.Should().Contain(e => e.Location == new SourceLocation(redis.ConfigFile, appendfsyncLine) && e.Text == "appendfsync = always");
            redisBlocking.Evidence.Should().Contain(e => e.Location == new SourceLocation(redis.ConfigFile, appendonlyLine) && e.Text.StartsWith("appendonly = ", StringComparison.Ordinal));
            redisBlocking.Recommendations.Should().ContainSingle().Which.Setting.Should().Be("appendfsync");
        });
    }
}
