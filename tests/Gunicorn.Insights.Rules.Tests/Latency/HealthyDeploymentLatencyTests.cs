using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Latency;

public sealed class HealthyDeploymentLatencyTests
{
    [Fact]
    public void A_healthy_deployment_gets_no_latency_warning_and_no_inconclusive_latency_note()
    {
        const double Inf = double.PositiveInfinity;
        var session = BuiltInRules.Analyze([
            Observe.Host(cpus: 4, memoryMebibytes: 8192, platform: PlatformKind.Systemd),
            Observe.Gunicorn("bind", SettingValue.List(["unix:/run/gunicorn.sock"]), line: 1),
            Observe.Gunicorn("workers", SettingValue.Integer(9), line: 2),
            Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 3),
            Observe.Gunicorn("worker_tmp_dir", SettingValue.FromText("/dev/shm"), line: 4),
            Observe.Gunicorn("timeout", SettingValue.Seconds(60), line: 5),
            Observe.Setting(ConfigurationScope.Nginx, "proxy_pass", SettingValue.FromText("http://unix:/run/gunicorn.sock"), "/etc/nginx/conf.d/app.conf", 12),
            Observe.Mount("/dev/shm", "tmpfs"),
            Observe.Traffic(25000),
            Observe.Durations(buckets: [(0.05, 15000), (0.1, 22000), (0.25, 24500), (0.5, 24900), (1, 25000), (2.5, 25000), (Inf, 25000)]),
            .. Observe.Busy(9, 2, 3, 1, 4, 2, 3, 5, 2),
        ]);

        var latency = session.Diagnoses.Where(d => d.Id.StartsWith("GI3", StringComparison.Ordinal)).ToList();
        latency.Should().NotContain(d => d.Severity >= Severity.Warning);
        session.Diagnoses.Should().NotContain(d => d.Id == "GI0003" && d.Message.StartsWith("GI3", StringComparison.Ordinal));
        latency.Select(d => d.Id).Should().Equal("GI3004");
    }
}
