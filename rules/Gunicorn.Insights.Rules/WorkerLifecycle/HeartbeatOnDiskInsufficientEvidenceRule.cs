using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Processes;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>
/// GI0003 for GI1005: the heartbeat directory is on a disk-backed filesystem but the input has no Gunicorn error log
/// and no worker stacks to show whether that hurts, or worker stacks are blocked in the heartbeat but no mount table
/// shows the directory's filesystem.
/// </summary>
public sealed class HeartbeatOnDiskInsufficientEvidenceRule : Rule
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
            .Having(() => heartbeat.Verdict == HeartbeatVerdict.Insufficient);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(WorkerLifecycleDescriptors.Undecided(WorkerLifecycleDescriptors.HeartbeatOnDisk), heartbeat.Seen, heartbeat.Needed)
                .Because(heartbeat.Mount, heartbeat.Setting, heartbeat.BlockedStacks));
    }
}
