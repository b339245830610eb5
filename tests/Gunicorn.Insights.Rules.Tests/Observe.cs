using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Processes;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Rules.Tests;

/// <summary>
/// Builds observations the way readers report them from real artifacts, with real-looking lines and locations, so rule
/// tests read like the incident they describe. Every builder takes an optional instance (null: a single-host input).
/// </summary>
public static class Observe
{
    public static readonly DateTimeOffset Incident = new(2026, 11, 23, 23, 45, 22, TimeSpan.Zero);

    /// <summary>A Gunicorn setting from gunicorn.conf.py (or another origin), e.g. <c>Gunicorn("timeout", SettingValue.Seconds(60))</c>.</summary>
    public static ConfigParameter Gunicorn(string name, SettingValue value, string file = "gunicorn.conf.py", int line = 1,
        SettingOrigin origin = SettingOrigin.ConfigurationFile, string? writtenAs = null, string? instance = null) =>
        new(ConfigurationScope.Gunicorn, name, value, origin, new SourceLocation(file, line)) { WrittenAs = writtenAs ?? name, Instance = instance };

    /// <summary>A setting of another component: nginx directive, systemd key, Redis option, Prometheus or platform setting.</summary>
    public static ConfigParameter Setting(ConfigurationScope scope, string name, SettingValue value, string file, int line = 1, string? instance = null) =>
        new(scope, name, value, SettingOrigin.ConfigurationFile, new SourceLocation(file, line)) { Instance = instance };

    /// <summary>A signature of <paramref name="count"/> lines whose first is <paramref name="text"/> at <paramref name="file"/>:<paramref name="line"/>.</summary>
    public static LogSignature Lines(LogSignatureKind kind, long count, string text, string file = "error.log", int line = 1,
        int[]? pids = null, DateTimeOffset? first = null, DateTimeOffset? last = null, string? instance = null, CountTimeline? timeline = null) =>
        new(kind, count, [new LogExample(new SourceLocation(file, line), text)])
        {
            Pids = pids ?? [],
            FirstSeen = first,
            LastSeen = last ?? first,
            Instance = instance,
            Timeline = timeline,
        };

    /// <summary><c>[CRITICAL] WORKER TIMEOUT (pid:N)</c> lines, the first one for the first pid.</summary>
    public static LogSignature WorkerTimeouts(long count, int[] pids, int line = 17, string file = "error.log", string? instance = null,
        DateTimeOffset? first = null, DateTimeOffset? last = null) =>
        Lines(LogSignatureKind.WorkerTimeout, count, $"[2026-11-23 23:45:22 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:{pids[0]})",
            file, line, pids, first ?? Incident, last, instance);

    /// <summary>One worker line, e.g. a WORKER TIMEOUT or a SIGKILL of a pid at a time.</summary>
    public static WorkerEvent Worker(LogSignatureKind kind, int pid, DateTimeOffset? at, int line, string? instance = null, string file = "error.log")
    {
        var time = at is { } t ? $"[{t:yyyy-MM-dd HH:mm:ss} +0000] " : "";
        var (text, signal) = kind switch
        {
            LogSignatureKind.WorkerTimeout => ($"{time}[7657] [CRITICAL] WORKER TIMEOUT (pid:{pid})", (string?)null),
            LogSignatureKind.WorkerSigkill => ($"{time}[7657] [ERROR] Worker (pid:{pid}) was sent SIGKILL! Perhaps out of memory?", "SIGKILL"),
            LogSignatureKind.WorkerExiting => ($"{time}[{pid}] [INFO] Worker exiting (pid: {pid})", null),
            LogSignatureKind.WorkerBoot => ($"{time}[{pid}] [INFO] Booting worker with pid: {pid}", null),
            _ => ($"{time}[7657] [ERROR] {kind} (pid:{pid})", null),
        };
        return new WorkerEvent(kind, pid, text, new SourceLocation(file, line)) { Timestamp = at, Instance = instance, Signal = signal };
    }

    /// <summary>A request-duration histogram in seconds, as Prometheus exposes it (cumulative counts, +Inf last).</summary>
    public static RequestDurationHistogram Durations(string? instance = null, string? path = null, TimeSpan? window = null,
        params (double UpperBound, double Count)[] buckets) =>
        RequestDurationHistogram.FromUpperBoundsInSeconds("gunicorn_request_duration_seconds", buckets, SourceLocation.Host("prometheus"))
            with
        {
            Instance = instance,
            Labels = path is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["path"] = path },
            Window = window,
        };

    /// <summary>Busy-worker samples, e.g. from <c>busy=%({x-busy}i)s</c> in the access log, one per line.</summary>
    public static IEnumerable<WorkerUtilization> Busy(int total, params int[] busy) =>
        busy.Select((b, i) => new WorkerUtilization(b, total, new SourceLocation("access.log", i + 1)) { Timestamp = Incident.AddSeconds(i) });

    public static HostFacts Host(int? cpus = null, double? memoryMebibytes = null, PlatformKind platform = PlatformKind.Unknown, string? instance = null) =>
        new(new SourceLocation("host.txt", 1))
        {
            CpuCount = cpus,
            Memory = memoryMebibytes is { } m ? ByteSize.FromMebibytes(m) : null,
            Platform = platform,
            Instance = instance,
        };

    public static CpuUsage Cpu(double percent, int? pid = null, string? process = null, double? ioWait = null, int line = 1, string? instance = null) =>
        new(new Percentage(percent), new SourceLocation("top.txt", line))
        {
            Pid = pid,
            ProcessName = process,
            IoWait = ioWait is { } w ? new Percentage(w) : null,
            Instance = instance,
            Timestamp = Incident,
        };

    public static MemoryUsage Memory(double totalMebibytes, double availableMebibytes, double swapTotalMebibytes = 0, double swapUsedMebibytes = 0,
        string? instance = null, DateTimeOffset? at = null) =>
        new(ByteSize.FromMebibytes(totalMebibytes), ByteSize.FromMebibytes(availableMebibytes), new SourceLocation("free-m.txt", 2))
        {
            SwapTotal = ByteSize.FromMebibytes(swapTotalMebibytes),
            SwapUsed = ByteSize.FromMebibytes(swapUsedMebibytes),
            Instance = instance,
            Timestamp = at ?? Incident,
        };

    public static SwapActivity Swap(double swapInKibPerSecond, double swapOutKibPerSecond, int line = 3, string? instance = null) =>
        new(DataRate.FromKibibytesPerSecond(swapInKibPerSecond), DataRate.FromKibibytesPerSecond(swapOutKibPerSecond), new SourceLocation("vmstat.txt", line))
        {
            Instance = instance,
            Timestamp = Incident,
        };

    public static FilesystemMount Mount(string mountPoint, string type, int line = 1, string? instance = null) =>
        new(mountPoint, type, new SourceLocation("/proc/mounts", line)) { Instance = instance };

    public static TrafficSummary Traffic(long requests, IReadOnlyDictionary<int, long>? statuses = null, string? path = null, string logger = "gunicorn",
        TimeSpan? over = null, string file = "access.log", string? instance = null) =>
        new(requests, statuses ?? new Dictionary<int, long> { [200] = requests }, new SourceLocation(file, 1))
        {
            Path = path,
            Logger = logger,
            FirstSeen = Incident,
            LastSeen = Incident + (over ?? TimeSpan.FromMinutes(10)),
            Instance = instance,
        };

    public static ApplicationTiming Timing(string transaction, long requests, double totalSeconds, double? cpuSeconds = null, double? databaseSeconds = null,
        double? externalSeconds = null, string file = "newrelic-transactions.csv", int line = 2, string? instance = null) =>
        new(transaction, requests, TimeSpan.FromSeconds(totalSeconds), new SourceLocation(file, line))
        {
            AverageCpu = cpuSeconds is { } c ? TimeSpan.FromSeconds(c) : null,
            AverageDatabase = databaseSeconds is { } d ? TimeSpan.FromSeconds(d) : null,
            AverageExternal = externalSeconds is { } e ? TimeSpan.FromSeconds(e) : null,
            Instance = instance,
        };

    public static SoftwareVersion Version(string component, string version, string file = "error.log", int line = 1, string? instance = null) =>
        new(component, System.Version.Parse(version), new SourceLocation(file, line)) { Instance = instance };

    public static LaunchCommand Command(string commandLine, string file = "/etc/systemd/system/gunicorn.service", int line = 9, string? instance = null) =>
        new(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries), new SourceLocation(file, line)) { Instance = instance };

    public static StackSnapshot Stack(int pid, string process, string? blockedIn, params string[] frames) =>
        new(pid, frames, new SourceLocation("py-spy-dump.txt", 1)) { ProcessName = process, BlockedSystemCall = blockedIn };
}
