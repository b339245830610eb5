using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>
/// GI0003 for GI1006: workers timed out on App Engine or Cloud Run with <c>preload_app</c> False, but the log shows
/// fewer than <c>min-cycles</c> boot-to-timeout cycles, or has no timestamped <c>Booting worker</c> lines for the
/// timed-out pids to tell a boot cycle from a worker that hung later.
/// </summary>
public sealed class BootTimeoutCycleInsufficientEvidenceRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerTimeouts timeouts = null!;
        HostFacts host = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<WorkerEvent> boots = null!;
        BootTimeoutCycles cycles = null!;

        When()
            .Match(() => timeouts, t => !t.Configuration.PreloadApp)
            .Match(() => host, h => h.Instance == timeouts.Instance,
                h => h.Platform == PlatformKind.GoogleAppEngine || h.Platform == PlatformKind.GoogleCloudRun)
            .Match(() => parameters)
            .Collect(() => boots, (WorkerEvent e) => e.Instance == timeouts.Instance, e => e.Kind == LogSignatureKind.WorkerBoot)
            .Let(() => cycles, () => BootTimeoutCycleRule.Find(timeouts, boots, parameters))
            .Having(() => cycles.Verdict == BootCycleVerdict.TooFew || cycles.Verdict == BootCycleVerdict.Unrelatable);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(WorkerLifecycleDescriptors.Undecided(WorkerLifecycleDescriptors.BootTimeoutCycle),
                    Seen(cycles, timeouts, host, parameters), Needed(cycles))
                .Because(host, cycles.Cited, timeouts));
    }

    /// <summary>What was seen.</summary>
    internal static string Seen(BootTimeoutCycles cycles, WorkerTimeouts timeouts, HostFacts host, RuleParameters parameters)
    {
        var platform = BootTimeoutCycles.PlatformName(host.Platform);
        return cycles.Verdict == BootCycleVerdict.TooFew
            ? $"on {platform} with preload_app False, {cycles.Pairs.Count} worker(s) timed out right after booting (pid {WorkerTimeoutRule.Pids(cycles.Pids)}), "
                + $"fewer than the {parameters.Integer(WorkerLifecycleDescriptors.BootTimeoutCycle, "min-cycles")} cycles that make a repeating cycle"
            : $"on {platform} with preload_app False, {timeouts.Count} WORKER TIMEOUT line(s) were logged, but no timestamped Booting worker line "
                + "of the same pids shows how long after their start the workers timed out";
    }

    /// <summary>What would settle it.</summary>
    internal static string Needed(BootTimeoutCycles cycles) =>
        cycles.Verdict == BootCycleVerdict.TooFew
            ? "supply a longer stretch of the log (gcloud app logs read) to see whether fresh workers keep timing out"
            : "supply the full error log with timestamps, including the Booting worker with pid lines (gcloud app logs read)";
}
