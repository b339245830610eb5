using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Capacity;

public sealed class HealthyDeploymentCapacityTests
{
    [Fact]
    public void A_healthy_deployment_gets_no_capacity_diagnosis_and_no_capacity_note()
    {
        var counts = Enumerable.Repeat(500L, 100).ToArray();
        var session = BuiltInRules.Analyze(
        [
            Observe.Gunicorn("workers", SettingValue.Integer(9), line: 2),
            Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 3),
            Observe.Gunicorn("bind", SettingValue.List(["unix:/run/gunicorn.sock"]), line: 4),
            Observe.Gunicorn("worker_tmp_dir", SettingValue.FromText("/dev/shm"), line: 5),
            Observe.Setting(ConfigurationScope.Nginx, "proxy_pass", SettingValue.FromText("http://unix:/run/gunicorn.sock"), "/etc/nginx/conf.d/app.conf", 14),
            Observe.Host(cpus: 4, memoryMebibytes: 8192),
            Observe.Mount("/dev/shm", "tmpfs"),
            .. Observe.Busy(9, 2, 3, 4, 5, 3, 2, 6, 4, 3, 2),
            Observe.Durations(buckets: [(0.05, 20000), (0.1, 38000), (0.25, 47000), (0.5, 49500), (1, 49950), (2.5, 50000), (double.PositiveInfinity, 50000)]),
            Observe.Cpu(40, line: 1),
            Observe.Cpu(35, line: 2),
            Observe.Memory(8192, 5100),
            Observe.Memory(8192, 5000, at: Observe.Incident.AddMinutes(30)),
            Observe.Traffic(50000, over: TimeSpan.FromMinutes(100)) with { Timeline = new CountTimeline(Observe.Incident, TimeSpan.FromMinutes(1), counts) },
            Observe.Timing("WebTransaction/Function/dashboard.views:index", 50000, totalSeconds: 0.12, cpuSeconds: 0.02, databaseSeconds: 0.08, externalSeconds: 0.01),
        ]);

        session.Diagnoses.Where(d => d.Id.StartsWith("GI2", StringComparison.Ordinal)
            || (d.Id == "GI0003" && d.Message.StartsWith("GI2", StringComparison.Ordinal))).Should().BeEmpty();
        session.Diagnoses.Should().NotContain(d => d.Id == "GI0001", "no capacity rule may throw on a complete input");
    }
}
