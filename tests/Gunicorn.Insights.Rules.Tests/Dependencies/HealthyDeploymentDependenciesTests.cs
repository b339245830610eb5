using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;
using static Gunicorn.Insights.Rules.Tests.Dependencies.RedisAppendfsyncBlockingRuleTests;

namespace Gunicorn.Insights.Rules.Tests.Dependencies;

public sealed class HealthyDeploymentDependenciesTests
{
    [Fact]
    public void A_healthy_deployment_with_its_redis_and_host_metrics_gets_no_dependency_diagnosis_and_no_dependency_note()
    {
        var session = BuiltInRules.Analyze(
        [
            Observe.Gunicorn("workers", SettingValue.Integer(9), line: 2),
            Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 3),
            Observe.Gunicorn("bind", SettingValue.List(["unix:/run/gunicorn.sock"]), line: 4),
            Observe.Gunicorn("worker_tmp_dir", SettingValue.FromText("/dev/shm"), line: 5),
            Observe.Host(cpus: 4, memoryMebibytes: 8192),
            Observe.Lines(LogSignatureKind.WorkerBoot, 9, "[2026-11-23 23:40:00 +0000] [7685] [INFO] Booting worker with pid: 7685"),
            Observe.Version("gunicorn", "23.0.0"),
            Redis("appendonly", "yes", 1379),
            Redis("appendfsync", "everysec", 1436),
            Observe.Version("redis", "7.0.15", "/var/log/redis/redis-server.log", 3),
            .. Observe.Busy(9, 2, 3, 4, 5, 3, 2, 6, 4, 3, 2),
            Observe.Cpu(40, line: 1),
            Observe.Cpu(35, line: 2),
            Observe.Memory(8192, 5100, swapTotalMebibytes: 2048, swapUsedMebibytes: 12),
            Observe.Swap(0, 0, line: 3),
            Observe.Swap(4, 0, line: 4),
            Observe.Swap(0, 0, line: 5),
            Observe.Traffic(50000, new Dictionary<int, long> { [200] = 49990, [500] = 10 }, logger: "nginx", file: "/var/log/nginx/access.log"),
            Observe.Timing("WebTransaction/Function/dashboard.views:index", 50000, totalSeconds: 0.12, cpuSeconds: 0.02, databaseSeconds: 0.08, externalSeconds: 0.01),
            Observe.Timing("WebTransaction/Function/quotes.views:list", 8000, totalSeconds: 0.4, cpuSeconds: 0.03, databaseSeconds: 0.02, externalSeconds: 0.33),
        ]);

        session.Diagnoses.Where(d => d.Id.StartsWith("GI6", StringComparison.Ordinal)
            || (d.Id == "GI0003" && d.Message.StartsWith("GI6", StringComparison.Ordinal))).Should().BeEmpty();
        session.Diagnoses.Should().NotContain(d => d.Id == "GI0001", "no rule may throw on a complete input");
    }
}
