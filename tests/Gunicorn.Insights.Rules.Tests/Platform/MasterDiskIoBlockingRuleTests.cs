using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Platform;

public sealed class MasterDiskIoBlockingRuleTests
{
    private static ConfigParameter Log(string name, string path, int line) => Observe.Gunicorn(name, SettingValue.FromText(path), line: line);

    [Fact]
    public void High_iowait_with_worker_timeouts_and_logs_on_disk_fires_with_the_app_service_pointer()
    {
        var session = BuiltInRules.Analyze(
            Observe.Cpu(40, ioWait: 38, line: 3),
            Observe.Cpu(42, ioWait: 45, line: 4),
            Observe.Cpu(20, ioWait: 2, line: 5),
            Log("errorlog", "/home/LogFiles/gunicorn-error.log", 5),
            Log("accesslog", "/home/LogFiles/gunicorn-access.log", 6),
            Observe.WorkerTimeouts(2, [7685]),
            Observe.Host(platform: PlatformKind.AzureAppService));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI5002").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Critical);
        diagnosis.Message.Should().Be(
            "The host stalled on disk I/O (iowait up to 45 % in 2 of 3 host sample(s)) while Gunicorn logged 2 WORKER TIMEOUT "
            + "line(s) (worker timeout 30 s); Gunicorn keeps its error log (/home/LogFiles/gunicorn-error.log) and its access log "
            + "(/home/LogFiles/gunicorn-access.log) on disk-backed storage, so its master process and workers wait on that disk "
            + "whenever they write there; on App Service Linux, --access-logfile '-' and --error-logfile '-' hand the lines to App "
            + "Service log collection instead");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "top.txt:3", "top.txt:4", "error.log:17", "gunicorn defaults", "gunicorn.conf.py:5", "gunicorn.conf.py:6");
    }

    [Fact]
    public void A_master_blocked_in_fsync_with_a_slow_p95_and_heartbeats_on_ext4_fires()
    {
        var session = BuiltInRules.Analyze(
            Observe.Stack(7657, "gunicorn: master [app]", "fsync", "fsync (libc.so.6)", "flush (logging/__init__.py:1113)"),
            Observe.Mount("/", "ext4", 1),
            Observe.Durations(window: TimeSpan.FromMinutes(10),
                buckets: [(0.1, 600), (0.5, 900), (1, 1000), (2.5, 1100), (5, 1180), (10, 1200), (double.PositiveInfinity, 1200)]));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI5002").Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "The host stalled on disk I/O (the master process (pid 7657) blocked in fsync) while the P95 request duration was 3.75 s "
            + "over 1200 requests (limit 2 s); Gunicorn keeps its worker heartbeat files (/tmp, ext4) on disk-backed storage, so its "
            + "master process and workers wait on that disk whenever they write there");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("py-spy-dump.txt:1", "prometheus", "/proc/mounts:1");
    }

    [Fact]
    public void With_logs_on_stdout_and_heartbeats_on_tmpfs_gunicorn_never_waits_on_the_disk()
    {
        var session = BuiltInRules.Analyze(
            Observe.Cpu(42, ioWait: 45, line: 4),
            Log("errorlog", "-", 5),
            Log("accesslog", "-", 6),
            Observe.Gunicorn("worker_tmp_dir", SettingValue.FromText("/dev/shm"), line: 7),
            Observe.Mount("/", "ext4", 1),
            Observe.Mount("/dev/shm", "tmpfs", 2),
            Observe.WorkerTimeouts(2, [7685]));

        session.Diagnoses.Where(d => d.Id == "GI5002").Should().BeEmpty();
    }

    [Fact]
    public void A_disk_stall_without_latency_or_timeouts_is_silent()
    {
        var session = BuiltInRules.Analyze(Observe.Cpu(42, ioWait: 45, line: 4), Log("errorlog", "/var/log/gunicorn/error.log", 5));

        session.Diagnoses.Where(d => d.Id == "GI5002").Should().BeEmpty();
    }

    [Fact]
    public void Iowait_below_the_limit_is_no_stall()
    {
        var session = BuiltInRules.Analyze(
            Observe.Cpu(42, ioWait: 12, line: 4),
            Log("errorlog", "/var/log/gunicorn/error.log", 5),
            Observe.WorkerTimeouts(2, [7685]));

        session.Diagnoses.Where(d => d.Id == "GI5002").Should().BeEmpty();
    }
}
