using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>What GI1006 concluded from the boot and timeout lines of an instance.</summary>
internal enum BootCycleVerdict
{
    /// <summary>Enough fresh workers timed out right after booting: a repeating cycle.</summary>
    Cycle,

    /// <summary>Some fresh workers timed out right after booting, fewer than <c>min-cycles</c>.</summary>
    TooFew,

    /// <summary>No timed-out worker has a timestamped boot line to compare with.</summary>
    Unrelatable,

    /// <summary>The timed-out workers had been running for a while: no boot cycle.</summary>
    NotACycle,
}

/// <summary>
/// The boot-to-timeout cycles of one instance: WORKER TIMEOUT lines of a pid that came at most the timeout plus a slack
/// after the same pid's <c>Booting worker</c> line, i.e. workers killed while or right after they loaded the application.
/// </summary>
internal sealed class BootTimeoutCycles
{
    private BootTimeoutCycles(BootCycleVerdict verdict, IReadOnlyList<(WorkerEvent Boot, WorkerEvent Timeout)> pairs)
    {
        Verdict = verdict;
        Pairs = pairs;
    }

    /// <summary>The verdict.</summary>
    public BootCycleVerdict Verdict { get; }

    /// <summary>The boot line and the WORKER TIMEOUT of each fresh worker that timed out.</summary>
    public IReadOnlyList<(WorkerEvent Boot, WorkerEvent Timeout)> Pairs { get; }

    /// <summary>The pids of those workers.</summary>
    public IReadOnlyList<int> Pids => [.. Pairs.Select(p => p.Timeout.Pid).Distinct()];

    /// <summary>The longest time from a boot to its worker's timeout.</summary>
    public TimeSpan LongestGap => Pairs.Count == 0 ? TimeSpan.Zero : Pairs.Max(p => p.Timeout.Timestamp!.Value - p.Boot.Timestamp!.Value);

    /// <summary>The lines to cite: the first five pairs.</summary>
    public IReadOnlyList<WorkerEvent> Cited => [.. Pairs.Take(5).SelectMany(p => new[] { p.Boot, p.Timeout })];

    /// <summary>Relates every timed-out worker to its latest boot line before the timeout.</summary>
    public static BootTimeoutCycles Find(IReadOnlyList<WorkerEvent> timeouts, IReadOnlyList<WorkerEvent> boots, TimeSpan timeout,
        TimeSpan slack, long minimumCycles)
    {
        var pairs = new List<(WorkerEvent, WorkerEvent)>();
        var related = 0;
        foreach (var timedOut in timeouts.Where(t => t.Timestamp is not null))
        {
            var boot = boots
                .Where(b => b.Pid == timedOut.Pid && b.Timestamp is { } booted && booted <= timedOut.Timestamp!.Value)
                .OrderBy(b => b.Timestamp)
                .LastOrDefault();
            if (boot is null)
            {
                continue;
            }

            related++;
            if (timedOut.Timestamp!.Value - boot.Timestamp!.Value <= timeout + slack)
            {
                pairs.Add((boot, timedOut));
            }
        }

        var verdict = pairs.Count >= Math.Max(1, minimumCycles) ? BootCycleVerdict.Cycle
            : pairs.Count > 0 ? BootCycleVerdict.TooFew
            : related == 0 ? BootCycleVerdict.Unrelatable
            : BootCycleVerdict.NotACycle;
        return new BootTimeoutCycles(verdict, pairs);
    }

    /// <summary>The platform's name as people write it.</summary>
    public static string PlatformName(PlatformKind platform) => platform switch
    {
        PlatformKind.GoogleAppEngine => "Google App Engine",
        PlatformKind.GoogleCloudRun => "Google Cloud Run",
        _ => platform.ToString(),
    };

    /// <summary>The follow-up clause: how many of the cycling workers Gunicorn then SIGKILLed and how many logged their exit.</summary>
    public string FollowUpClause(IReadOnlyList<WorkerKill> kills, IReadOnlyList<WorkerEvent> exits)
    {
        var pids = Pids.ToHashSet();
        var killed = kills.Where(k => pids.Contains(k.Kill.Pid)).Select(k => k.Kill.Pid).Distinct().Count();
        var exited = exits.Where(e => pids.Contains(e.Pid)).Select(e => e.Pid).Distinct().Count();
        var parts = new List<string>();
        if (killed > 0)
        {
            parts.Add($"{killed} were then sent SIGKILL by Gunicorn (not an out-of-memory kill)");
        }

        if (exited > 0)
        {
            parts.Add($"{exited} logged Worker exiting");
        }

        return parts.Count == 0 ? "" : "; " + string.Join(" and ", parts);
    }

    /// <summary>The instance-class clause, <c> (instance class B1)</c>, when the platform configuration names one.</summary>
    public static string InstanceClassClause(IReadOnlyList<ConfigParameter> instanceClasses) =>
        instanceClasses.Count == 0 ? "" : $" (instance class {instanceClasses[^1].Value})";

    /// <summary>True for the platform parameter that names an App Engine instance class (<c>instance_class</c> in app.yaml).</summary>
    public static bool IsInstanceClass(ConfigParameter parameter) =>
        parameter.Scope == ConfigurationScope.Platform && string.Equals(parameter.Name, "instance_class", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why fresh workers time out, for the instance's Gunicorn version (or both readings when it is unknown).</summary>
    public static string Mechanism(IReadOnlyList<SoftwareVersion> versions, TimeSpan timeout)
    {
        var limit = DiagnosisMessage.FormatValue(timeout);
        var gunicorn = versions.FirstOrDefault(v => v.Component == "gunicorn");
        const string Cycle = "each replacement worker starts over and is killed the same way, so the instance keeps cycling instead of serving";
        return gunicorn is null
            ? $"the Gunicorn version is unknown: up to 21.x a worker's boot (loading the application) counts against the {limit} timeout, so an "
                + $"application that loads slower gets every fresh worker killed before it serves; from 22.0 boot time does not count and the "
                + $"first requests after boot are what stall (check with gunicorn --version); {Cycle}"
            : gunicorn.Version.Major < 22
                ? $"Gunicorn {gunicorn.Version} counts a worker's boot (loading the application) against the {limit} timeout, so an application "
                    + $"that loads slower gets every fresh worker killed before it serves; {Cycle}"
                : $"Gunicorn {gunicorn.Version} does not count boot time against the timeout, so the fresh workers stalled in their first "
                    + $"request(s) after boot (e.g. a model loaded lazily by the first request) for longer than {limit}; {Cycle}";
    }
}
