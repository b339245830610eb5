using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;
using Gunicorn.Insights.Rules.Proxy;

namespace Gunicorn.Insights.Rules.Platform;

/// <summary>
/// GI5003: health-check traffic (<c>/health</c>, <c>/healthz</c>, <c>/ping</c>, <c>/ready</c>, <c>/live</c>, App
/// Service's <c>/robots933456.txt</c>, …) arrives at sync workers at <c>min-rate</c> or more while workers of that
/// instance are timed out or killed.
/// </summary>
/// <remarks>
/// Health checks are recognised by path in any access log (Gunicorn's, nginx's, a platform router's); when several logs
/// show the same path, the one with the most requests counts, so one request is not counted twice. The rate needs a
/// time span and at least <c>min-requests</c> checks; with less, <see cref="HealthCheckRateUnknownRule"/> says what to
/// supply. Only sync workers are concerned: other worker classes serve a probe without giving it a whole worker.
/// </remarks>
public sealed class HealthCheckWorkerKillsRule : Rule
{
    private static readonly HashSet<string> HealthSegments = new(StringComparer.OrdinalIgnoreCase)
    {
        "health", "healthz", "healthcheck", "health-check", "health_check", "ping", "ready", "readyz", "readiness", "live", "livez",
        "liveness", "robots933456.txt",
    };

    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<TrafficSummary> checks = null!;
        IReadOnlyList<WorkerTimeouts> timeouts = null!;
        IReadOnlyList<WorkerKill> kills = null!;
        IReadOnlyList<HostFacts> hosts = null!;

        When()
            .Match(() => configuration)
            .Having(() => ProxyReadTimeoutBeforeGunicornRule.IsSync(configuration))
            .Collect(() => checks, (TrafficSummary t) => t.Instance == configuration.Instance, t => IsHealthCheck(t))
            .Having(() => checks.Count > 0)
            .Collect(() => timeouts, (WorkerTimeouts w) => w.Instance == configuration.Instance)
            .Collect(() => kills, (WorkerKill k) => k.Instance == configuration.Instance, k => !k.AfterTimeout)
            .Having(() => timeouts.Count > 0 || kills.Count > 0)
            .Match(() => parameters)
            .Having(() => HasEnoughEvidence(checks, parameters)
                && Rate(checks) >= parameters.Number(PlatformDescriptors.HealthChecks, "min-rate"))
            .Collect(() => hosts, (HostFacts h) => h.Instance == configuration.Instance);
        Then()
            .Report(PlatformDescriptors.HealthChecks, () => Finding
                .Of(Paths(checks), Requests(checks), Span(checks), Rate(checks), Representatives(checks).Sum(t => t.ServerErrors),
                    Workers(configuration, hosts), Deaths(timeouts, kills))
                .Because(Representatives(checks), timeouts, kills, configuration[GunicornSettingCatalog.WorkerClass.Name]));
    }

    /// <summary>True for an access-log summary of a health-check path.</summary>
    public static bool IsHealthCheck(TrafficSummary traffic)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        if (traffic.Path is not { } path)
        {
            return false;
        }

        var trimmed = path.Split('?')[0].TrimEnd('/');
        var segment = trimmed[(trimmed.LastIndexOf('/') + 1)..];
        return HealthSegments.Contains(segment) || trimmed.Equals("/_ah/health", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>One summary per health-check path: the one with the most requests, so a request seen in two logs counts once.</summary>
    public static IReadOnlyList<TrafficSummary> Representatives(IReadOnlyList<TrafficSummary> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        return checks.GroupBy(t => t.Path, StringComparer.OrdinalIgnoreCase).Select(g => g.MaxBy(t => t.Requests)!).ToArray();
    }

    /// <summary>True when every path's summary has a time span and there are at least <c>min-requests</c> checks.</summary>
    public static bool HasEnoughEvidence(IReadOnlyList<TrafficSummary> checks, RuleParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var representatives = Representatives(checks);
        return representatives.All(t => t.RequestsPerSecond is not null)
            && Requests(checks) >= parameters.Integer(PlatformDescriptors.HealthChecks, "min-requests");
    }

    /// <summary>The health-check paths, for the message.</summary>
    public static string Paths(IReadOnlyList<TrafficSummary> checks) =>
        string.Join(", ", Representatives(checks).Select(t => t.Path));

    /// <summary>How many health checks there were.</summary>
    public static long Requests(IReadOnlyList<TrafficSummary> checks) => Representatives(checks).Sum(t => t.Requests);

    /// <summary>The longest time span the checks were logged over, for the message (e.g. <c>10 min</c>).</summary>
    public static string Span(IReadOnlyList<TrafficSummary> checks)
    {
        var spans = Representatives(checks).Select(t => t.Span).OfType<TimeSpan>().ToArray();
        if (spans.Length == 0)
        {
            return "an unknown time";
        }

        var span = spans.Max();
        return span >= TimeSpan.FromMinutes(2)
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min")
            : DiagnosisMessage.FormatValue(span);
    }

    /// <summary>The combined health-check rate in requests per second (0 when no span is known).</summary>
    public static double Rate(IReadOnlyList<TrafficSummary> checks) =>
        Representatives(checks).Sum(t => t.RequestsPerSecond ?? 0);

    /// <summary>The workers the checks reach, for the message.</summary>
    public static string Workers(GunicornConfiguration configuration, IReadOnlyList<HostFacts> hosts)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(hosts);
        var cpus = hosts.Select(h => h.CpuCount).LastOrDefault(c => c is not null);
        return configuration.WorkerCount(cpus) is { } count
            ? string.Create(CultureInfo.InvariantCulture, $"{count} sync worker(s)")
            : "sync workers (how many is not known)";
    }

    /// <summary>The worker deaths of the instance, for the message.</summary>
    public static string Deaths(IReadOnlyList<WorkerTimeouts> timeouts, IReadOnlyList<WorkerKill> kills)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        ArgumentNullException.ThrowIfNull(kills);
        var parts = new List<string>();
        if (timeouts.Count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"logged {timeouts.Sum(t => t.Count)} WORKER TIMEOUT line(s) (worker timeout {DiagnosisMessage.FormatValue(timeouts[0].Timeout)})"));
        }

        if (kills.Count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"saw {kills.Select(k => k.Kill.Pid).Distinct().Count()} worker(s) SIGKILLed with no WORKER TIMEOUT before them, from outside Gunicorn"));
        }

        return string.Join(" and ", parts);
    }
}
