using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Processes;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>
/// GI1005: "Worker heartbeat blocks indefinitely on disk-backed filesystem" — the heartbeat directory
/// (<c>worker_tmp_dir</c>, else Python's temporary directory) is on a filesystem that is not memory-backed, and
/// workers time out or their stacks are blocked in the heartbeat (<c>os.fchmod</c>/<c>os.utime</c>).
/// It reports GI0003 instead when the directory is disk-backed but nothing shows whether that hurts, or a worker is
/// blocked in the heartbeat but no mount table shows the directory's filesystem.
/// </summary>
public sealed class HeartbeatOnDiskRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<ConfigParameter> environment = null!;
        IReadOnlyList<FilesystemMount> mounts = null!;
        IReadOnlyList<StackSnapshot> stacks = null!;
        IReadOnlyList<WorkerTimeouts> timeouts = null!;
        IReadOnlyList<SoftwareVersion> versions = null!;
        int signatures = 0;
        int events = 0;
        HeartbeatDirectory heartbeat = null!;

        When()
            .Match(() => configuration)
            .Collect(() => mounts, (FilesystemMount m) => m.Instance == configuration.Instance)
            .Collect(() => stacks, (StackSnapshot s) => s.Instance == configuration.Instance)
            .Having(() => mounts.Count > 0 || stacks.Count > 0)
            .Collect(() => environment, (ConfigParameter p) => p.Instance == configuration.Instance, p => HeartbeatDirectory.IsTemporaryDirectoryVariable(p))
            .Collect(() => timeouts, (WorkerTimeouts t) => t.Instance == configuration.Instance)
            .Collect(() => versions, (SoftwareVersion v) => v.Instance == configuration.Instance)
            .Count<LogSignature>(() => signatures, s => s.Instance == configuration.Instance, s => HeartbeatDirectory.IsGunicornErrorLog(s.Kind))
            .Count<WorkerEvent>(() => events, e => e.Instance == configuration.Instance)
            .Let(() => heartbeat, () => HeartbeatDirectory.Assess(configuration, environment, mounts, stacks, timeouts, versions, signatures + events))
            .Having(() => heartbeat.Verdict == HeartbeatVerdict.Blocking || heartbeat.Verdict == HeartbeatVerdict.Insufficient);
        Then()
            .Report(WorkerLifecycleDescriptors.HeartbeatOnDisk, () => heartbeat.Verdict == HeartbeatVerdict.Blocking, () => Finding
                .Of(heartbeat.Described, heartbeat.Mount!.MountPoint, heartbeat.Mount.FilesystemType, heartbeat.SymptomClause, heartbeat.Call,
                    heartbeat.ConfirmClause)
                .Because(heartbeat.Mount, heartbeat.Setting, heartbeat.BlockedStacks, heartbeat.Timeouts)
                .Recommending(Recommendations.Gunicorn(configuration, GunicornSettingCatalog.WorkerTmpDir.Name, RecommendationKind.Exactly,
                    SettingValue.FromText("/dev/shm"), "heartbeats on a disk-backed filesystem block")))
            .Report(EngineDescriptors.InsufficientEvidence, () => heartbeat.Verdict == HeartbeatVerdict.Insufficient, () => Finding
                .Of(WorkerLifecycleDescriptors.Undecided(WorkerLifecycleDescriptors.HeartbeatOnDisk), heartbeat.Seen, heartbeat.Needed)
                .Because(heartbeat.Mount, heartbeat.Setting, heartbeat.BlockedStacks));
    }
}
