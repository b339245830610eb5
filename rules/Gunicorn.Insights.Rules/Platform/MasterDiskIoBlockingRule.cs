using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Processes;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Platform;

/// <summary>
/// GI5002: the host stalled on disk I/O (iowait or blocked processes above their limits, or Gunicorn's master caught
/// blocked in a disk system call) while requests took seconds or workers timed out, and Gunicorn writes its logs or
/// heartbeat files to disk-backed storage.
/// </summary>
/// <remarks>
/// All three parts are required: a disk stall alone may be someone else's problem, and with logs on stdout/stderr and
/// heartbeats on tmpfs Gunicorn never waits on the disk. A slow P95 over too few requests is left to
/// <see cref="MasterDiskIoLatencyUnconfirmedRule"/>.
/// </remarks>
public sealed class MasterDiskIoBlockingRule : Rule
{
    private static readonly HashSet<string> DiskCalls = new(StringComparer.Ordinal)
    {
        "write", "writev", "pwrite64", "fsync", "fdatasync", "fchmod", "utimensat", "futimens", "openat", "open",
    };

    private static readonly string[] DiskFrames = ["os.fsync", "os.fchmod", "os.utime", "logging/__init__.py"];

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
        IReadOnlyList<WorkerTimeouts> timeouts = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        RequestDurationHistogram? slow = null;
        IReadOnlyList<HostFacts> hosts = null!;

        When()
            .Match(() => configuration)
            .Match(() => parameters)
            .Collect(() => hostSamples, (CpuUsage c) => c.Instance == configuration.Instance, c => c.Pid == null)
            .Let(() => stalls, () => Stalls(hostSamples, parameters))
            .Collect(() => masterStacks, (StackSnapshot s) => s.Instance == configuration.Instance, s => IsMasterBlockedOnDisk(s))
            .Having(() => stalls.Count > 0 || masterStacks.Count > 0)
            .Collect(() => mounts, (FilesystemMount m) => m.Instance == configuration.Instance)
            .Let(() => diskFiles, () => DiskBackedFiles(configuration, mounts))
            .Having(() => diskFiles.Count > 0)
            .Collect(() => timeouts, (WorkerTimeouts w) => w.Instance == configuration.Instance)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == configuration.Instance)
            .Let(() => slow, () => SlowHistogram(histograms, parameters, true))
            .Having(() => timeouts.Count > 0 || slow != null)
            .Collect(() => hosts, (HostFacts h) => h.Instance == configuration.Instance);
        Then()
            .Report(PlatformDescriptors.MasterDiskIo, () => Finding
                .Of(DescribeStall(hostSamples, stalls, masterStacks), DescribeSymptom(timeouts, slow, parameters), string.Join(" and ", diskFiles),
                    PlatformHint(hosts))
                .Because(stalls, masterStacks, timeouts, slow, DiskFileEvidence(configuration, mounts)));
    }

    /// <summary>The host samples that count as a disk stall under the rule's limits.</summary>
    public static IReadOnlyList<CpuUsage> Stalls(IReadOnlyList<CpuUsage> hostSamples, RuleParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(hostSamples);
        ArgumentNullException.ThrowIfNull(parameters);
        var ioWaitLimit = parameters.Number(PlatformDescriptors.MasterDiskIo, "iowait-limit");
        var blockedLimit = parameters.Integer(PlatformDescriptors.MasterDiskIo, "blocked-limit");
        return hostSamples
            .Where(s => (s.IoWait is { } wait && wait.Value >= ioWaitLimit) || (s.BlockedProcesses is { } blocked && blocked >= blockedLimit))
            .ToArray();
    }

    /// <summary>True for a stack of Gunicorn's master caught in a disk system call or writing a log or heartbeat file.</summary>
    public static bool IsMasterBlockedOnDisk(StackSnapshot stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return stack.IsMaster
            && ((stack.BlockedSystemCall is { } call && DiskCalls.Contains(call)) || DiskFrames.Any(stack.Mentions));
    }

    /// <summary>What Gunicorn keeps on disk-backed storage: log files (not <c>-</c>, not under <c>/dev</c>, not on tmpfs) and a heartbeat directory on a known disk mount.</summary>
    public static IReadOnlyList<string> DiskBackedFiles(GunicornConfiguration configuration, IReadOnlyList<FilesystemMount> mounts)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(mounts);
        var files = new List<string>();
        if (IsDiskFile(configuration.ErrorLog, mounts))
        {
            files.Add($"its error log ({configuration.ErrorLog})");
        }

        if (IsDiskFile(configuration.AccessLog, mounts))
        {
            files.Add($"its access log ({configuration.AccessLog})");
        }

        var heartbeat = configuration.WorkerTmpDir ?? "/tmp";
        if (FilesystemMount.Containing(heartbeat, mounts) is { IsMemoryBacked: false } mount)
        {
            files.Add($"its worker heartbeat files ({heartbeat}, {mount.FilesystemType})");
        }

        return files;
    }

    /// <summary>The settings and mounts that show where Gunicorn's files live.</summary>
    public static IReadOnlyList<Observation> DiskFileEvidence(GunicornConfiguration configuration, IReadOnlyList<FilesystemMount> mounts)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(mounts);
        var evidence = new List<Observation>();
        if (IsDiskFile(configuration.ErrorLog, mounts) && configuration.TryGet(GunicornSettingCatalog.ErrorLog.Name, out var errorLog))
        {
            evidence.Add(errorLog);
        }

        if (IsDiskFile(configuration.AccessLog, mounts) && configuration.TryGet(GunicornSettingCatalog.AccessLog.Name, out var accessLog))
        {
            evidence.Add(accessLog);
        }

        var heartbeat = configuration.WorkerTmpDir ?? "/tmp";
        if (FilesystemMount.Containing(heartbeat, mounts) is { IsMemoryBacked: false } mount)
        {
            if (configuration.TryGet(GunicornSettingCatalog.WorkerTmpDir.Name, out var tmpDir))
            {
                evidence.Add(tmpDir);
            }

            evidence.Add(mount);
        }

        return evidence;
    }

    /// <summary>
    /// The largest histogram whose P95 reaches <c>p95-limit</c>: among those with at least <c>min-requests</c> requests
    /// when <paramref name="enough"/>, else among those with fewer.
    /// </summary>
    public static RequestDurationHistogram? SlowHistogram(IReadOnlyList<RequestDurationHistogram> histograms, RuleParameters parameters, bool enough)
    {
        ArgumentNullException.ThrowIfNull(histograms);
        ArgumentNullException.ThrowIfNull(parameters);
        var limit = parameters.Duration(PlatformDescriptors.MasterDiskIo, "p95-limit");
        var minRequests = parameters.Integer(PlatformDescriptors.MasterDiskIo, "min-requests");
        return histograms
            .Where(h => h.Count > 0 && (h.Count >= minRequests) == enough && h.Percentile(0.95) is { } p95 && p95 >= limit)
            .MaxBy(h => h.Count);
    }

    /// <summary>The disk stall, for the message.</summary>
    public static string DescribeStall(IReadOnlyList<CpuUsage> hostSamples, IReadOnlyList<CpuUsage> stalls, IReadOnlyList<StackSnapshot> masterStacks)
    {
        ArgumentNullException.ThrowIfNull(hostSamples);
        ArgumentNullException.ThrowIfNull(stalls);
        ArgumentNullException.ThrowIfNull(masterStacks);
        var parts = new List<string>();
        var waits = stalls.Where(s => s.IoWait is not null).ToArray();
        if (waits.Length > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"iowait up to {waits.Max(s => s.IoWait!.Value)} in {stalls.Count} of {hostSamples.Count} host sample(s)"));
        }

        var blocked = stalls.Where(s => s.BlockedProcesses is not null).Select(s => s.BlockedProcesses!.Value).DefaultIfEmpty().Max();
        if (blocked > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"up to {blocked} processes blocked on I/O"));
        }

        if (masterStacks.Count > 0)
        {
            var stack = masterStacks[0];
            var what = stack.BlockedSystemCall is { } call ? "blocked in " + call : "caught writing a file";
            var howLong = stack.BlockedFor is { } duration ? " for " + DiagnosisMessage.FormatValue(duration) : "";
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"the master process (pid {stack.Pid}) {what}{howLong}"));
        }

        return string.Join(", ", parts);
    }

    /// <summary>The latency or timeouts that came with the stall, for the message.</summary>
    public static string DescribeSymptom(IReadOnlyList<WorkerTimeouts> timeouts, RequestDurationHistogram? slow, RuleParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        ArgumentNullException.ThrowIfNull(parameters);
        var parts = new List<string>();
        if (timeouts.Count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"Gunicorn logged {timeouts.Sum(t => t.Count)} WORKER TIMEOUT line(s) (worker timeout {DiagnosisMessage.FormatValue(timeouts[0].Timeout)})"));
        }

        if (slow is not null)
        {
            parts.Add("the P95 request duration was " + DescribeP95(slow, parameters));
        }

        return string.Join(" and ", parts);
    }

    /// <summary>A histogram's P95 with how many requests it covers and the limit, e.g. <c>4.5 s over 1200 requests (limit 2 s)</c>.</summary>
    public static string DescribeP95(RequestDurationHistogram histogram, RuleParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        ArgumentNullException.ThrowIfNull(parameters);
        return $"{DiagnosisMessage.FormatValue(histogram.Percentile(0.95))} over "
            + $"{DiagnosisMessage.FormatValue(histogram.Count)} requests (limit {DiagnosisMessage.FormatValue(parameters.Duration(PlatformDescriptors.MasterDiskIo, "p95-limit"))})";
    }

    /// <summary>A platform-specific pointer, for the message.</summary>
    public static string PlatformHint(IReadOnlyList<HostFacts> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        return hosts.Any(h => h.Platform == PlatformKind.AzureAppService)
            ? "; on App Service Linux, --access-logfile '-' and --error-logfile '-' hand the lines to App Service log collection instead"
            : "";
    }

    private static bool IsDiskFile(string? path, IReadOnlyList<FilesystemMount> mounts) =>
        path is not null && path != "-" && !path.StartsWith("/dev/", StringComparison.Ordinal)
        && FilesystemMount.Containing(path, mounts) is not { IsMemoryBacked: true };
}
