using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Processes;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Platform;

/// <summary>
/// GI0003 for GI5002: the host stalled on disk I/O and Gunicorn writes to disk-backed storage, and a request-duration
/// histogram shows a multi-second P95, but over fewer requests than <c>min-requests</c> and without worker timeouts.
/// </summary>
public sealed class MasterDiskIoLatencyUnconfirmedRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<CpuUsage> hostSamples = null!;
        IReadOnlyList<CpuUsage> stalls = null!;
        IReadOnlyList<StackSnapshot> masterStacks = null!;
        IReadOnlyList<FilesystemMount> mounts = null!;
        IReadOnlyList<string> diskFiles = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        RequestDurationHistogram? few = null;

        When()
            .Match(() => configuration)
            .Match(() => parameters)
            .Collect(() => hostSamples, (CpuUsage c) => c.Instance == configuration.Instance, c => c.Pid == null)
            .Let(() => stalls, () => MasterDiskIoBlockingRule.Stalls(hostSamples, parameters))
            .Collect(() => masterStacks, (StackSnapshot s) => s.Instance == configuration.Instance, s => MasterDiskIoBlockingRule.IsMasterBlockedOnDisk(s))
            .Having(() => stalls.Count > 0 || masterStacks.Count > 0)
            .Collect(() => mounts, (FilesystemMount m) => m.Instance == configuration.Instance)
            .Let(() => diskFiles, () => MasterDiskIoBlockingRule.DiskBackedFiles(configuration, mounts))
            .Having(() => diskFiles.Count > 0)
            .Not<WorkerTimeouts>(w => w.Instance == configuration.Instance)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == configuration.Instance)
            .Having(() => MasterDiskIoBlockingRule.SlowHistogram(histograms, parameters, true) == null)
            .Let(() => few, () => MasterDiskIoBlockingRule.SlowHistogram(histograms, parameters, false))
            .Having(() => few != null);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(PlatformDescriptors.Subject(PlatformDescriptors.MasterDiskIo),
                    "the host stalled on disk I/O (" + MasterDiskIoBlockingRule.DescribeStall(hostSamples, stalls, masterStacks) + ") and Gunicorn keeps "
                        + string.Join(" and ", diskFiles) + " on disk, but the only latency evidence is a P95 request duration of "
                        + MasterDiskIoBlockingRule.DescribeP95(few!, parameters) + ", fewer than the "
                        + parameters.Integer(PlatformDescriptors.MasterDiskIo, "min-requests") + " requests the rule needs",
                    "supply request durations covering more requests of the stall (the access log with rt=%(L)s, or the metrics) or "
                        + "Gunicorn's error log, whose WORKER TIMEOUT lines would show workers stuck for the whole timeout")
                .Because(stalls, masterStacks, few, MasterDiskIoBlockingRule.DiskFileEvidence(configuration, mounts)));
    }
}
