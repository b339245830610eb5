using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Catalog;

/// <summary>The whole pack on whole deployments: a healthy one stays quiet, an incident gets one recommendation per setting.</summary>
public sealed class WholePackTests
{
    private static AnalysisResult Analyze(params object[] facts) =>
        new DeploymentAnalyzer(BuiltInRules.Factory, Insights.Configuration.InsightConfiguration.Default).Analyze(facts);

    /// <summary>Unix socket behind nginx, (2 × 4) + 1 gevent workers, heartbeats on tmpfs, P95 far under 2 s, no timeouts.</summary>
    private static object[] HealthyDeployment() =>
    [
        Observe.Host(cpus: 4, memoryMebibytes: 8192, platform: PlatformKind.Systemd),
        Observe.Gunicorn("bind", SettingValue.List(["unix:/run/gunicorn.sock"]), line: 1),
        Observe.Gunicorn("workers", SettingValue.Integer(9), line: 2),
        Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 3),
        Observe.Gunicorn("timeout", SettingValue.Seconds(60), line: 4),
        Observe.Gunicorn("worker_tmp_dir", SettingValue.FromText("/dev/shm"), line: 5),
        Observe.Gunicorn("accesslog", SettingValue.FromText("-"), line: 6),
        Observe.Setting(ConfigurationScope.Nginx, "proxy_pass", SettingValue.FromText("http://unix:/run/gunicorn.sock"), "/etc/nginx/conf.d/app.conf", 12),
        Observe.Setting(ConfigurationScope.Systemd, "ListenStream", SettingValue.FromText("/run/gunicorn.sock"), "/etc/systemd/system/gunicorn.socket", 5),
        Observe.Mount("/", "ext4", 1), Observe.Mount("/dev/shm", "tmpfs", 2),
        Observe.Version("gunicorn", "23.0.0"),
        Observe.Lines(LogSignatureKind.WorkerBoot, 9, "[2026-11-23 23:40:01 +0000] [7685] [INFO] Booting worker with pid: 7685", pids: [7685]),
        Observe.Traffic(20_000, new Dictionary<int, long> { [200] = 19_950, [404] = 50 }),
        Observe.Durations(buckets: [(0.05, 9_000), (0.1, 16_000), (0.25, 19_500), (0.5, 19_900), (1, 19_990), (2.5, 20_000), (double.PositiveInfinity, 20_000)]),
        .. Observe.Busy(36, 4, 6, 9, 3, 12, 7, 5, 8, 10, 6),
        Observe.Cpu(35, line: 1), Observe.Cpu(42, line: 2),
        Observe.Memory(8192, 5120, swapTotalMebibytes: 2048, swapUsedMebibytes: 0),
    ];

    [Fact]
    public void A_healthy_well_configured_deployment_gets_no_warning_or_critical_diagnosis()
    {
        var result = Analyze(HealthyDeployment());

        result.Diagnoses.Where(d => d.Severity >= Severity.Warning).Select(d => d.ToString()).Should().BeEmpty();
        result.Diagnoses.Should().NotContain(d => d.Id == "GI0001", "no rule may throw on a healthy deployment");
    }

    [Fact]
    public void A_clean_report_is_visibly_a_checked_one()
    {
        var result = Analyze(HealthyDeployment());

        var passed = result.Checks.Where(c => c.Outcome == RuleCheckOutcome.Passed).ToArray();
        passed.Should().NotBeEmpty();
        passed.Should().OnlyContain(c => c.Evidence.Count > 0, "a passed rule names what it checked");
        passed.Select(c => c.RuleName.Split('.')[^1]).Should().Contain(["HighP95LatencyRule", "SameHostTcpProxyRule", "InsufficientWorkerCountRule"],
            "the latency, socket and worker-count checks saw the healthy evidence and passed it");
        result.Checks.Select(c => c.RuleName).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Rules_that_ask_opposite_things_of_the_timeout_give_one_stated_conflict_with_the_current_value()
    {
        var result = Analyze(
            Observe.Host(cpus: 2, platform: PlatformKind.Heroku),
            Observe.WorkerTimeouts(4, [101, 102]),
            Observe.Lines(LogSignatureKind.HerokuRequestTimeout, 7,
                "2026-11-23T23:45:52.123456+00:00 heroku[router]: at=error code=H12 desc=\"Request timeout\" method=GET path=\"/report\" dyno=web.1 connect=1ms service=30000ms status=503",
                "router.log", 3));

        var timeout = result.Recommendations.Where(r => r.Setting == "timeout").Should().ContainSingle().Subject;
        timeout.Current.Should().Be(SettingValue.Seconds(30));
        timeout.IsConflict.Should().BeTrue();
        timeout.Summary.Should().StartWith("timeout: 30 → no value satisfies every diagnosis: GI1002 needs ≥ 60");
        timeout.Summary.Should().Contain("GI5001 needs ≤ 25");
    }

    [Fact]
    public void Every_rule_of_the_pack_compiles_and_runs_on_an_empty_input_without_a_diagnosis()
    {
        var session = BuiltInRules.Factory.CreateSession();

        session.Fire();

        session.Diagnoses.Should().BeEmpty();
        session.Checks.Should().OnlyContain(c => c.Outcome == RuleCheckOutcome.NoEvidence || c.Outcome == RuleCheckOutcome.Passed);
    }

    [Fact]
    public void Gunicorns_own_statsd_counts_are_not_taken_for_a_proxy_in_front_of_it()
    {
        var statsd = Observe.Traffic(500, new Dictionary<int, long> { [200] = 480, [502] = 20 }, logger: "statsd", file: "statsd.txt");
        var nginx = Observe.Traffic(500, new Dictionary<int, long> { [200] = 480, [502] = 20 }, logger: "nginx", file: "nginx-access.log");

        statsd.IsFrontEnd.Should().BeFalse();
        nginx.IsFrontEnd.Should().BeTrue();
        Analyze(Observe.WorkerTimeouts(3, [101]), statsd).Diagnoses.Should().NotContain(d => d.Id == "GI4003");
        Analyze(Observe.WorkerTimeouts(3, [101]), nginx).Diagnoses.Should().Contain(d => d.Id == "GI4003");
    }
}
