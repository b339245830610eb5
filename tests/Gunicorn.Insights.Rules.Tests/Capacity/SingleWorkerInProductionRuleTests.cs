using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Capacity;

public sealed class SingleWorkerInProductionRuleTests
{
    [Fact]
    public void The_default_single_worker_under_production_traffic_fires_and_says_it_is_the_default()
    {
        BuiltInRules.Fixture.Given(Observe.Traffic(5000), Observe.Host(cpus: 4))
            .Expect("GI2005").FiresOnce()
            .WithSeverity(Severity.Warning)
            .WithMessage(
                "Gunicorn runs a single worker (Gunicorn's default: neither workers (-w) nor WEB_CONCURRENCY is set) while the gunicorn access log "
                + "shows 5000 requests (8.3 per second); benchmark and set -w 9 ((2 × 4 CPU cores) + 1) as the starting point")
            .WithEvidenceExactlyAt("gunicorn defaults", "access.log:1", "host.txt:1");
    }

    [Fact]
    public void An_explicit_single_worker_with_timeouts_fires_and_names_the_flag()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("workers", SettingValue.Integer(1), "/etc/systemd/system/gunicorn.service", 9, SettingOrigin.CommandLine, writtenAs: "-w"),
            Observe.WorkerTimeouts(3, [7685]));

        session.Diagnoses.Where(d => d.Id == "GI2005").Should().ContainSingle().Which.Message.Should().Be(
            "Gunicorn runs a single worker (set with -w) while Gunicorn logged 3 WORKER TIMEOUT line(s); benchmark and set -w 4 or "
            + "(2 × CPU cores) + 1 as the starting point (the CPU count is unknown; nproc shows it)");
    }

    [Fact]
    public void A_single_worker_with_little_traffic_and_no_trouble_does_not_fire()
    {
        BuiltInRules.Fixture.Given(Observe.Traffic(40)).Expect("GI2005").IsSilent();
    }

    [Fact]
    public void A_reloading_development_server_does_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("reload", SettingValue.Boolean(true), line: 2),
            Observe.Traffic(5000),
            Observe.WorkerTimeouts(3, [7685]));

        session.Diagnoses.Where(d => d.Id == "GI2005").Should().BeEmpty();
    }

    [Fact]
    public void Several_workers_do_not_fire()
    {
        BuiltInRules.Fixture.Given(Observe.Gunicorn("workers", SettingValue.Integer(4)), Observe.Traffic(5000), Observe.WorkerTimeouts(3, [7685]))
            .Expect("GI2005").IsSilent();
    }
}
