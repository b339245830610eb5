using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Processes;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>What GI1005 concluded about an instance's heartbeat directory.</summary>
internal enum HeartbeatVerdict
{
    /// <summary>Nothing to say: memory-backed, or neither the filesystem nor a blocked heartbeat is known.</summary>
    Silent,

    /// <summary>Disk-backed, with timeouts or workers blocked in the heartbeat.</summary>
    Blocking,

    /// <summary>Disk-backed but no Gunicorn log or stack to tell whether it hurts, or a blocked heartbeat on an unknown filesystem.</summary>
    Insufficient,
}

/// <summary>
/// Where an instance's workers write their heartbeat (<c>worker_tmp_dir</c>, else Python's temporary directory) and
/// what the evidence says about it: the filesystem that holds it, worker stacks blocked in the heartbeat, timeouts.
/// </summary>
internal sealed class HeartbeatDirectory
{
    private static readonly string[] TemporaryDirectoryVariables = ["TMPDIR", "TEMP", "TMP"];

    private HeartbeatDirectory(string path, string origin)
    {
        Path = path;
        Origin = origin;
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>How it was chosen, e.g. <c>worker_tmp_dir not set: Python's default temporary directory</c>.</summary>
    public string Origin { get; }

    /// <summary>The verdict.</summary>
    public HeartbeatVerdict Verdict { get; private init; }

    /// <summary>The mount that holds the directory, when known.</summary>
    public FilesystemMount? Mount { get; private init; }

    /// <summary>The setting or variable that chose the directory, when one did.</summary>
    public ConfigParameter? Setting { get; private init; }

    /// <summary>Worker stacks blocked in the heartbeat.</summary>
    public IReadOnlyList<StackSnapshot> BlockedStacks { get; private init; } = [];

    /// <summary>The instance's worker timeouts, when there were any.</summary>
    public WorkerTimeouts? Timeouts { get; private init; }

    /// <summary>The heartbeat call for the instance's Gunicorn version.</summary>
    public string Call { get; private init; } = "";

    /// <summary>The directory with how it was chosen, for messages: <c>/tmp (worker_tmp_dir not set: …)</c>.</summary>
    public string Described => $"{Path} ({Origin})";

    /// <summary>The symptoms seen, as a message clause starting with <c>; </c>.</summary>
    public string SymptomClause
    {
        get
        {
            var parts = new List<string>();
            if (BlockedStacks.Count > 0)
            {
                parts.Add($"{BlockedStacks.Count} worker stack(s) were blocked in the heartbeat (pid {WorkerTimeoutRule.Pids([.. BlockedStacks.Select(s => s.Pid).Distinct()])})");
            }

            if (Timeouts is { } timeouts)
            {
                parts.Add($"{timeouts.Count} WORKER TIMEOUT line(s) for {timeouts.Pids.Count} worker(s) were logged");
            }

            return parts.Count == 0 ? "" : "; " + string.Join(" and ", parts);
        }
    }

    /// <summary>What would confirm the diagnosis when no stack shows the heartbeat blocked; empty when one does.</summary>
    public string ConfirmClause => BlockedStacks.Count > 0
        ? ""
        : $"; a py-spy dump of a stuck worker ending in {Call} would confirm the heartbeat as the cause of the timeouts";

    /// <summary>Reads the evidence of one instance.</summary>
    public static HeartbeatDirectory Assess(GunicornConfiguration configuration, IReadOnlyList<ConfigParameter> environment,
        IReadOnlyList<FilesystemMount> mounts, IReadOnlyList<StackSnapshot> stacks, IReadOnlyList<WorkerTimeouts> timeouts,
        IReadOnlyList<SoftwareVersion> versions, int gunicornLogLines)
    {
        string path;
        string origin;
        ConfigParameter? setting = null;
        if (configuration.WorkerTmpDir is { } configured)
        {
            path = configured;
            configuration.TryGet(GunicornSettingCatalog.WorkerTmpDir.Name, out setting);
            origin = "worker_tmp_dir";
        }
        else if (TemporaryDirectoryVariables
                     .Select(name => environment.LastOrDefault(p => p.Name == name && !string.IsNullOrWhiteSpace(p.Value.Text)))
                     .FirstOrDefault(p => p is not null) is { } variable)
        {
            path = variable.Value.Text.Trim();
            setting = variable;
            origin = $"worker_tmp_dir not set: Python's temporary directory from {variable.Name}";
        }
        else
        {
            path = "/tmp";
            origin = "worker_tmp_dir not set: Python's default temporary directory";
        }

        var mount = FilesystemMount.Containing(path, mounts);
        var blocked = stacks.Where(ShowsBlockedHeartbeat).ToArray();
        var timedOut = timeouts.Count > 0 ? timeouts[0] : null;
        var diskBacked = mount is not null && !mount.IsMemoryBacked;
        var verdict = diskBacked && (blocked.Length > 0 || timedOut is not null) ? HeartbeatVerdict.Blocking
            : diskBacked && gunicornLogLines == 0 ? HeartbeatVerdict.Insufficient
            : mount is null && blocked.Length > 0 ? HeartbeatVerdict.Insufficient
            : HeartbeatVerdict.Silent;
        return new HeartbeatDirectory(path, origin)
        {
            Verdict = verdict,
            Mount = mount,
            Setting = setting,
            BlockedStacks = blocked,
            Timeouts = timedOut,
            Call = HeartbeatCall(versions),
        };
    }

    /// <summary>What a GI0003 diagnosis says was seen.</summary>
    public string Seen => Mount is { } mount
        ? $"the worker heartbeat directory {Described} is on {mount.MountPoint} ({mount.FilesystemType}, disk-backed), but the input has no Gunicorn error log and no worker stacks to show whether the heartbeat blocks"
        : $"{BlockedStacks.Count} worker stack(s) were blocked in the heartbeat ({Call}) in {Described}, but no mount table shows which filesystem holds it";

    /// <summary>What a GI0003 diagnosis asks for.</summary>
    public string Needed => Mount is not null
        ? "supply Gunicorn's error log (WORKER TIMEOUT lines) or a py-spy dump --pid PID --subprocesses of the workers"
        : $"supply /proc/mounts or the output of findmnt -T {Path} (df -T {Path})";

    /// <summary>True when a worker's stack or blocked system call is the heartbeat (<c>os.fchmod</c>, <c>os.utime</c>, <c>workertmp.py</c>).</summary>
    public static bool ShowsBlockedHeartbeat(StackSnapshot stack) =>
        !stack.IsMaster
        && (stack.Mentions("fchmod") || stack.Mentions("os.utime") || stack.Mentions("utimensat") || stack.Mentions("workertmp"));

    /// <summary>True for the kinds of line only Gunicorn's own error log has: its presence shows that log was supplied.</summary>
    public static bool IsGunicornErrorLog(LogSignatureKind kind) => kind is LogSignatureKind.WorkerTimeout or LogSignatureKind.WorkerSigkill
        or LogSignatureKind.WorkerSignaled or LogSignatureKind.WorkerExitedWithCode or LogSignatureKind.WorkerExiting
        or LogSignatureKind.WorkerBoot or LogSignatureKind.WorkerFailedToBoot or LogSignatureKind.AppFailedToLoad
        or LogSignatureKind.ErrorHandlingRequest or LogSignatureKind.ConnectionInUse;

    /// <summary>True for the environment variables Python's <c>tempfile.gettempdir()</c> reads.</summary>
    public static bool IsTemporaryDirectoryVariable(ConfigParameter parameter) => TemporaryDirectoryVariables.Contains(parameter.Name);

    /// <summary>The heartbeat call: <c>os.fchmod</c> up to Gunicorn 21, <c>os.utime</c> from 22, both when the version is unknown.</summary>
    public static string HeartbeatCall(IReadOnlyList<SoftwareVersion> versions) =>
        versions.FirstOrDefault(v => v.Component == "gunicorn") is not { } gunicorn ? "os.fchmod (Gunicorn 21 and older) or os.utime (22 and later)"
        : gunicorn.Version.Major >= 22 ? "os.utime"
        : "os.fchmod";
}
