using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;
using Gunicorn.Insights.Rules.Proxy;

namespace Gunicorn.Insights.Rules.Platform;

/// <summary>
/// GI0003 for GI5003: sync workers of an instance were timed out or killed and health checks reach them, but there are
/// too few checks, or no time span, to tell how often they come.
/// </summary>
public sealed class HealthCheckRateUnknownRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<TrafficSummary> checks = null!;
        IReadOnlyList<WorkerTimeouts> timeouts = null!;
        IReadOnlyList<WorkerKill> kills = null!;

        When()
            .Match(() => configuration)
            .Having(() => ProxyReadTimeoutBeforeGunicornRule.IsSync(configuration))
            .Collect(() => checks, (TrafficSummary t) => t.Instance == configuration.Instance, t => HealthCheckWorkerKillsRule.IsHealthCheck(t))
            .Having(() => checks.Count > 0)
            .Collect(() => timeouts, (WorkerTimeouts w) => w.Instance == configuration.Instance)
            .Collect(() => kills, (WorkerKill k) => k.Instance == configuration.Instance, k => !k.AfterTimeout)
            .Having(() => timeouts.Count > 0 || kills.Count > 0)
            .Match(() => parameters)
            .Having(() => !HealthCheckWorkerKillsRule.HasEnoughEvidence(checks, parameters));
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(PlatformDescriptors.Subject(PlatformDescriptors.HealthChecks),
                    Saw(checks, timeouts, kills),
                    Supply(parameters.Integer(PlatformDescriptors.HealthChecks, "min-requests")))
                .Because(HealthCheckWorkerKillsRule.Representatives(checks), timeouts, kills));
    }

    /// <summary>What the rule saw, for the message.</summary>
    public static string Saw(IReadOnlyList<TrafficSummary> checks, IReadOnlyList<WorkerTimeouts> timeouts, IReadOnlyList<WorkerKill> kills) =>
        string.Create(CultureInfo.InvariantCulture,
            $"sync workers were killed (Gunicorn {HealthCheckWorkerKillsRule.Deaths(timeouts, kills)}) and health checks reach them "
            + $"({HealthCheckWorkerKillsRule.Requests(checks)} request(s) to {HealthCheckWorkerKillsRule.Paths(checks)} over "
            + $"{HealthCheckWorkerKillsRule.Span(checks)}), too few or too short to tell how frequent the checks are");

    /// <summary>What would settle it, for the message.</summary>
    public static string Supply(long minRequests) =>
        string.Create(CultureInfo.InvariantCulture,
            $"supply an access log with timestamps covering at least {minRequests} health checks (or the load balancer's probe interval and timeout)");
}
