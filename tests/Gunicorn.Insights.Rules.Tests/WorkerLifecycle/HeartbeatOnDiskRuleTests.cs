using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.WorkerLifecycle;

public sealed class HeartbeatOnDiskRuleTests
{
    private const string BothCalls = "os.fchmod (Gunicorn 21 and older) or os.utime (22 and later)";

    [Fact]
    public void Timeouts_with_the_default_heartbeat_directory_on_ext4_fire_critical_and_say_what_would_confirm_it()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(4, [7685, 7690, 7702]),
            Observe.Mount("/", "ext4", line: 1),
            Observe.Mount("/dev/shm", "tmpfs", line: 2));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI1005").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Critical);
        diagnosis.Message.Should().Be(
            "The worker heartbeat directory /tmp (worker_tmp_dir not set: Python's default temporary directory) is on / (ext4, not "
            + "memory-backed); 4 WORKER TIMEOUT line(s) for 3 worker(s) were logged: every heartbeat is an " + BothCalls + " call on that "
            + "filesystem, and a worker blocked in it neither serves nor heartbeats until the master kills it; a py-spy dump of a stuck "
            + "worker ending in " + BothCalls + " would confirm the heartbeat as the cause of the timeouts");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("/proc/mounts:1", "error.log:17", "gunicorn defaults");
    }

    [Fact]
    public void A_worker_stack_blocked_in_fchmod_on_a_disk_backed_worker_tmp_dir_fires_without_timeouts()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("worker_tmp_dir", SettingValue.FromText("/srv/tmp"), line: 4),
            Observe.Version("gunicorn", "20.1.0"),
            Observe.Lines(LogSignatureKind.WorkerBoot, 3, "[2026-11-23 23:40:01 +0000] [8123] [INFO] Booting worker with pid: 8123"),
            Observe.Mount("/", "ext4", line: 1),
            Observe.Mount("/srv", "xfs", line: 2),
            Observe.Stack(8123, "gunicorn: worker [app]", "fchmod", "notify (gunicorn/workers/workertmp.py:48)", "run_for_one (gunicorn/workers/sync.py:35)"));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI1005").Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "The worker heartbeat directory /srv/tmp (worker_tmp_dir) is on /srv (xfs, not memory-backed); 1 worker stack(s) were blocked "
            + "in the heartbeat (pid 8123): every heartbeat is an os.fchmod call on that filesystem, and a worker blocked in it neither "
            + "serves nor heartbeats until the master kills it");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("/proc/mounts:2", "gunicorn.conf.py:4", "py-spy-dump.txt:1");
    }

    [Fact]
    public void A_temporary_directory_from_tmpdir_on_dockers_overlay_counts_as_disk_backed()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685]),
            Observe.Setting(ConfigurationScope.Platform, "TMPDIR", SettingValue.FromText("/app/tmp"), "Dockerfile", 5),
            Observe.Version("gunicorn", "23.0.0"),
            Observe.Mount("/", "overlay", line: 1),
            Observe.Mount("/dev/shm", "tmpfs", line: 2));

        session.Diagnoses.Where(d => d.Id == "GI1005").Should().ContainSingle().Which.Message.Should().StartWith(
            "The worker heartbeat directory /app/tmp (worker_tmp_dir not set: Python's temporary directory from TMPDIR) is on / (overlay, "
            + "not memory-backed); 2 WORKER TIMEOUT line(s) for 1 worker(s) were logged: every heartbeat is an os.utime call");
    }

    [Fact]
    public void Timeouts_with_worker_tmp_dir_on_dev_shm_do_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(4, [7685]),
            Observe.Gunicorn("worker_tmp_dir", SettingValue.FromText("/dev/shm"), line: 4),
            Observe.Mount("/", "ext4", line: 1),
            Observe.Mount("/dev/shm", "tmpfs", line: 2));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI1005");
    }

    [Fact]
    public void A_disk_backed_tmp_with_a_calm_error_log_does_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.Lines(LogSignatureKind.WorkerBoot, 3, "[2026-11-23 23:40:01 +0000] [8123] [INFO] Booting worker with pid: 8123"),
            Observe.Mount("/", "ext4", line: 1));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI1005");
        session.Diagnoses.Should().NotContain(d => d.Id == "GI0003" && d.Message.StartsWith("GI1005", StringComparison.Ordinal));
    }

    [Fact]
    public void Timeouts_without_a_mount_table_do_not_fire()
    {
        var session = BuiltInRules.Analyze(Observe.WorkerTimeouts(4, [7685]));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI1005");
        session.Diagnoses.Should().NotContain(d => d.Id == "GI0003" && d.Message.StartsWith("GI1005", StringComparison.Ordinal));
    }
}
