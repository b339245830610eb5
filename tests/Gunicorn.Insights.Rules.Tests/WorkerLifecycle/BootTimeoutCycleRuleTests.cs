using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.WorkerLifecycle;

public sealed class BootTimeoutCycleRuleTests
{
    private const string CycleEnd =
        "each replacement worker starts over and is killed the same way, so the instance keeps cycling instead of serving";

    /// <summary>Three workers that each boot, time out 31 s later, and are SIGKILLed or exit; the next one boots a second later.</summary>
    internal static object[] ThreeBootCycles() =>
    [
        Observe.Worker(LogSignatureKind.WorkerBoot, 101, Observe.Incident, 1),
        Observe.Worker(LogSignatureKind.WorkerTimeout, 101, Observe.Incident.AddSeconds(31), 2),
        Observe.Worker(LogSignatureKind.WorkerSigkill, 101, Observe.Incident.AddSeconds(32), 3),
        Observe.Worker(LogSignatureKind.WorkerBoot, 102, Observe.Incident.AddSeconds(33), 4),
        Observe.Worker(LogSignatureKind.WorkerTimeout, 102, Observe.Incident.AddSeconds(64), 5),
        Observe.Worker(LogSignatureKind.WorkerExiting, 102, Observe.Incident.AddSeconds(64), 6),
        Observe.Worker(LogSignatureKind.WorkerBoot, 103, Observe.Incident.AddSeconds(65), 7),
        Observe.Worker(LogSignatureKind.WorkerTimeout, 103, Observe.Incident.AddSeconds(96), 8),
        Observe.Worker(LogSignatureKind.WorkerSigkill, 103, Observe.Incident.AddSeconds(97), 9),
    ];

    [Fact]
    public void Fresh_workers_timing_out_after_boot_on_app_engine_with_gunicorn_20_fire_critical()
    {
        var session = BuiltInRules.Analyze([
            .. ThreeBootCycles(),
            Observe.Host(platform: PlatformKind.GoogleAppEngine),
            Observe.Version("gunicorn", "20.1.0", "requirements.txt", 12)]);

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI1006").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Critical);
        diagnosis.Message.Should().Be(
            "On Google App Engine, 3 of 3 WORKER TIMEOUT line(s) hit a worker at most 31 s after it booted (pid 101, 102, 103) and "
            + "preload_app is False; 2 were then sent SIGKILL by Gunicorn (not an out-of-memory kill) and 1 logged Worker exiting: "
            + "Gunicorn 20.1.0 counts a worker's boot (loading the application) against the 30 s timeout, so an application that loads "
            + "slower gets every fresh worker killed before it serves; " + CycleEnd);
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "host.txt:1", "error.log:1", "error.log:2", "error.log:4", "error.log:5", "error.log:7", "error.log:8",
            "gunicorn defaults", "gunicorn defaults", "requirements.txt:12", "error.log:3", "error.log:9");
    }

    [Fact]
    public void On_cloud_run_with_an_unknown_version_both_readings_are_given_with_the_instance_class()
    {
        var session = BuiltInRules.Analyze([
            .. ThreeBootCycles(),
            Observe.Host(platform: PlatformKind.GoogleCloudRun),
            Observe.Setting(ConfigurationScope.Platform, "instance_class", SettingValue.FromText("B1"), "app.yaml", 3)]);

        session.Diagnoses.Where(d => d.Id == "GI1006").Should().ContainSingle().Which.Message.Should().Be(
            "On Google Cloud Run (instance class B1), 3 of 3 WORKER TIMEOUT line(s) hit a worker at most 31 s after it booted "
            + "(pid 101, 102, 103) and preload_app is False; 2 were then sent SIGKILL by Gunicorn (not an out-of-memory kill) and 1 logged "
            + "Worker exiting: the Gunicorn version is unknown: up to 21.x a worker's boot (loading the application) counts against the "
            + "30 s timeout, so an application that loads slower gets every fresh worker killed before it serves; from 22.0 boot time does "
            + "not count and the first requests after boot are what stall (check with gunicorn --version); " + CycleEnd);
    }

    [Fact]
    public void From_gunicorn_22_the_message_blames_the_first_requests_not_the_boot()
    {
        var session = BuiltInRules.Analyze([
            .. ThreeBootCycles(),
            Observe.Host(platform: PlatformKind.GoogleAppEngine),
            Observe.Version("gunicorn", "23.0.0")]);

        session.Diagnoses.Where(d => d.Id == "GI1006").Should().ContainSingle().Which.Message.Should().EndWith(
            ": Gunicorn 23.0.0 does not count boot time against the timeout, so the fresh workers stalled in their first request(s) after "
            + "boot (e.g. a model loaded lazily by the first request) for longer than 30 s; " + CycleEnd);
    }

    [Fact]
    public void With_preload_app_the_cycle_rule_stays_silent()
    {
        var session = BuiltInRules.Analyze([
            .. ThreeBootCycles(),
            Observe.Host(platform: PlatformKind.GoogleAppEngine),
            Observe.Gunicorn("preload_app", SettingValue.Boolean(true), line: 7)]);

        session.Diagnoses.Should().NotContain(d => d.Id == "GI1006");
        session.Diagnoses.Should().NotContain(d => d.Id == "GI0003" && d.Message.StartsWith("GI1006", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_cycle_on_a_plain_docker_host_is_not_this_platform_rule()
    {
        var session = BuiltInRules.Analyze([.. ThreeBootCycles(), Observe.Host(platform: PlatformKind.Docker)]);

        session.Diagnoses.Should().NotContain(d => d.Id == "GI1006");
    }

    [Fact]
    public void Workers_that_time_out_long_after_booting_are_no_boot_cycle()
    {
        var session = BuiltInRules.Analyze(
            Observe.Host(platform: PlatformKind.GoogleAppEngine),
            Observe.Worker(LogSignatureKind.WorkerBoot, 101, Observe.Incident, 1),
            Observe.Worker(LogSignatureKind.WorkerBoot, 102, Observe.Incident, 2),
            Observe.Worker(LogSignatureKind.WorkerTimeout, 101, Observe.Incident.AddHours(1), 3),
            Observe.Worker(LogSignatureKind.WorkerTimeout, 102, Observe.Incident.AddHours(2), 4));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI1006");
        session.Diagnoses.Should().NotContain(d => d.Id == "GI0003" && d.Message.StartsWith("GI1006", StringComparison.Ordinal));
    }
}
