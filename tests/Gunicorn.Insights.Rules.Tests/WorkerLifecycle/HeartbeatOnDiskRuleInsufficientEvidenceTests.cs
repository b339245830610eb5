using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Tests.WorkerLifecycle;

public sealed class HeartbeatOnDiskRuleInsufficientEvidenceTests
{
    private static Diagnosis[] Undecided(Engine.RuleSession session) =>
        [.. session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith("GI1005 ", StringComparison.Ordinal))];

    [Fact]
    public void A_disk_backed_heartbeat_directory_without_any_gunicorn_log_or_stack_asks_for_them()
    {
        var session = BuiltInRules.Analyze(Observe.Mount("/", "ext4", line: 1), Observe.Mount("/dev/shm", "tmpfs", line: 2));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI1005");
        var diagnosis = Undecided(session).Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            "GI1005 Worker heartbeat blocks indefinitely on disk-backed filesystem could not conclude: the worker heartbeat directory /tmp "
            + "(worker_tmp_dir not set: Python's default temporary directory) is on / (ext4, disk-backed), but the input has no Gunicorn "
            + "error log and no worker stacks to show whether the heartbeat blocks; supply Gunicorn's error log (WORKER TIMEOUT lines) or a "
            + "py-spy dump --pid PID --subprocesses of the workers");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("/proc/mounts:1");
    }

    [Fact]
    public void A_worker_blocked_in_the_heartbeat_without_a_mount_table_asks_for_the_filesystem()
    {
        var session = BuiltInRules.Analyze(
            Observe.Version("gunicorn", "23.0.0"),
            Observe.Stack(8123, "gunicorn: worker [app]", null, "notify (gunicorn/workers/workertmp.py:46)", "os.utime"));

        Undecided(session).Should().ContainSingle().Which.Message.Should().Be(
            "GI1005 Worker heartbeat blocks indefinitely on disk-backed filesystem could not conclude: 1 worker stack(s) were blocked in "
            + "the heartbeat (os.utime) in /tmp (worker_tmp_dir not set: Python's default temporary directory), but no mount table shows "
            + "which filesystem holds it; supply /proc/mounts or the output of findmnt -T /tmp (df -T /tmp)");
    }

    [Fact]
    public void A_memory_backed_heartbeat_directory_needs_no_further_evidence()
    {
        var session = BuiltInRules.Analyze(Observe.Mount("/", "ext4", line: 1), Observe.Mount("/tmp", "tmpfs", line: 2));

        Undecided(session).Should().BeEmpty();
    }

    [Fact]
    public void The_masters_stack_is_not_a_blocked_heartbeat()
    {
        var session = BuiltInRules.Analyze(
            Observe.Lines(Gunicorn.Insights.Observations.Logs.LogSignatureKind.WorkerBoot, 3, "[INFO] Booting worker with pid: 8123"),
            Observe.Stack(7657, "gunicorn: master [app]", null, "murder_workers (gunicorn/arbiter.py:497)", "workertmp last_update"));

        Undecided(session).Should().BeEmpty();
    }
}
