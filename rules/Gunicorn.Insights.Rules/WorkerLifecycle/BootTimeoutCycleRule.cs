using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>
/// GI1006: "Gunicorn workers enter infinite timeout-SIGKILL cycle on Google App Engine" — on App Engine or Cloud Run,
/// with <c>preload_app</c> False, at least <c>min-cycles</c> workers timed out at most the timeout plus
/// <c>boot-slack</c> after their own <c>Booting worker</c> line.
/// </summary>
public sealed class BootTimeoutCycleRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerTimeouts timeouts = null!;
        HostFacts host = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<WorkerEvent> boots = null!;
        BootTimeoutCycles cycles = null!;
        IReadOnlyList<WorkerKill> kills = null!;
        IReadOnlyList<WorkerEvent> exits = null!;
        IReadOnlyList<SoftwareVersion> versions = null!;
        IReadOnlyList<ConfigParameter> instanceClasses = null!;

        When()
            .Match(() => timeouts, t => !t.Configuration.PreloadApp)
            .Match(() => host, h => h.Instance == timeouts.Instance,
                h => h.Platform == PlatformKind.GoogleAppEngine || h.Platform == PlatformKind.GoogleCloudRun)
            .Match(() => parameters)
            .Collect(() => boots, (WorkerEvent e) => e.Instance == timeouts.Instance, e => e.Kind == LogSignatureKind.WorkerBoot)
            .Let(() => cycles, () => Find(timeouts, boots, parameters))
            .Having(() => cycles.Verdict == BootCycleVerdict.Cycle)
            .Collect(() => kills, (WorkerKill k) => k.Instance == timeouts.Instance, k => k.AfterTimeout)
            .Collect(() => exits, (WorkerEvent e) => e.Instance == timeouts.Instance, e => e.Kind == LogSignatureKind.WorkerExiting)
            .Collect(() => versions, (SoftwareVersion v) => v.Instance == timeouts.Instance, v => v.Component == "gunicorn")
            .Collect(() => instanceClasses, (ConfigParameter p) => p.Instance == timeouts.Instance, p => BootTimeoutCycles.IsInstanceClass(p));
        Then()
            .Report(WorkerLifecycleDescriptors.BootTimeoutCycle, () => Finding
                .Of(BootTimeoutCycles.PlatformName(host.Platform), BootTimeoutCycles.InstanceClassClause(instanceClasses),
                    cycles.Pairs.Count, timeouts.Count, cycles.LongestGap, "pid " + WorkerTimeoutRule.Pids(cycles.Pids),
                    cycles.FollowUpClause(kills, exits), BootTimeoutCycles.Mechanism(versions, timeouts.Timeout))
                .Because(host, cycles.Cited, timeouts.Configuration[GunicornSettingCatalog.PreloadApp.Name], timeouts.TimeoutSetting,
                    versions, instanceClasses, kills.Where(k => cycles.Pids.Contains(k.Kill.Pid)).ToArray())
                .Recommending(Recommendations.Gunicorn(timeouts.Configuration, GunicornSettingCatalog.PreloadApp.Name, RecommendationKind.Exactly,
                    SettingValue.Boolean(true), "load the app once in the master, before the boot-time timeout cycle")));
    }

    /// <summary>Finds the boot-to-timeout cycles with the rule's parameters.</summary>
    internal static BootTimeoutCycles Find(WorkerTimeouts timeouts, IReadOnlyList<WorkerEvent> boots, RuleParameters parameters)
    {
        var descriptor = WorkerLifecycleDescriptors.BootTimeoutCycle;
        return BootTimeoutCycles.Find(timeouts.Events, boots, timeouts.Timeout, parameters.Duration(descriptor, "boot-slack"),
            parameters.Integer(descriptor, "min-cycles"));
    }
}
