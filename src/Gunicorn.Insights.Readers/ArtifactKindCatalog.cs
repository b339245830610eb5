using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Processes;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Readers;

/// <summary>
/// Every artifact kind the built-in readers take: its command-line name, what it is, how to capture one and what it
/// yields, so a tool can accept <c>--kind access-log=path</c> and tell a user which file would supply missing evidence.
/// </summary>
public static class ArtifactKindCatalog
{
    /// <summary>All kinds but <see cref="ArtifactKind.Unknown"/>, in a reading order a person expects.</summary>
    public static IReadOnlyList<ArtifactKindInfo> All { get; } =
    [
        new(ArtifactKind.GunicornErrorLog, "gunicorn-error-log", "Gunicorn error log",
            "the file `errorlog` names, or `journalctl -u <unit>` / `docker logs -t <container>` output",
            [typeof(LogSignature), typeof(WorkerEvent), typeof(SoftwareVersion), typeof(ConfigParameter), typeof(StackSnapshot)])
        { Aliases = ["error-log", "errorlog"] },
        new(ArtifactKind.GunicornAccessLog, "gunicorn-access-log", "Gunicorn access log",
            "the file `accesslog` names; add `rt=%(L)s` to `access_log_format` to record request durations",
            [typeof(TrafficSummary), typeof(RequestDurationHistogram), typeof(WorkerUtilization), typeof(LogSignature)])
        { Aliases = ["access-log", "accesslog"] },
        new(ArtifactKind.GunicornConfig, "gunicorn-config", "Gunicorn configuration file",
            "gunicorn.conf.py (or the file `-c` names)", [typeof(ConfigParameter)])
        { Aliases = ["gunicorn-conf", "conf", "config"] },
        new(ArtifactKind.CommandLine, "command-line", "Gunicorn command line",
            "`cat /proc/<master pid>/cmdline`, the systemd unit, Procfile, Dockerfile or env file that starts Gunicorn",
            [typeof(LaunchCommand), typeof(ConfigParameter)])
        { Aliases = ["cmdline", "systemd", "procfile", "dockerfile"] },
        new(ArtifactKind.NginxConfig, "nginx-config", "nginx configuration", "`nginx -T` output or the site's .conf file",
            [typeof(ConfigParameter)])
        { Aliases = ["nginx-conf"] },
        new(ArtifactKind.NginxErrorLog, "nginx-error-log", "nginx error log", "/var/log/nginx/error.log",
            [typeof(LogSignature)]),
        new(ArtifactKind.NginxAccessLog, "nginx-access-log", "nginx access log",
            "/var/log/nginx/access.log (with `$request_time` and `$upstream_response_time` in its log_format)",
            [typeof(TrafficSummary), typeof(RequestDurationHistogram), typeof(LogSignature)]),
        new(ArtifactKind.RedisConfig, "redis-config", "Redis configuration", "redis.conf or `redis-cli CONFIG GET '*'` output",
            [typeof(ConfigParameter)])
        { Aliases = ["redis-conf"] },
        new(ArtifactKind.RedisLog, "redis-log", "Redis log", "/var/log/redis/redis-server.log",
            [typeof(LogSignature), typeof(SoftwareVersion)]),
        new(ArtifactKind.HerokuRouterLog, "heroku-router-log", "Heroku router log", "`heroku logs --source heroku --num 1500`",
            [typeof(LogSignature), typeof(TrafficSummary), typeof(RequestDurationHistogram), typeof(HostFacts)])
        { Aliases = ["heroku-log"] },
        new(ArtifactKind.HostTools, "host-tools", "host tool output",
            "`free -m`, `top -b -n 1`, `vmstat 5 5`, `nproc`, `cat /proc/meminfo`, `cat /proc/mounts`, `df -T`, `env` saved to files",
            [typeof(MemoryUsage), typeof(CpuUsage), typeof(SwapActivity), typeof(HostFacts), typeof(FilesystemMount)])
        { Aliases = ["host"] },
        new(ArtifactKind.ProcessStacks, "process-stacks", "process stacks",
            "`py-spy dump --pid <worker pid>`, a faulthandler dump, or `strace -T -p <worker pid>` output", [typeof(StackSnapshot)])
        { Aliases = ["stacks", "py-spy"] },
        new(ArtifactKind.PrometheusMetrics, "prometheus-metrics", "Prometheus metrics", "`curl -s http://<app>/metrics` output",
            [typeof(RequestDurationHistogram), typeof(Counter), typeof(Gauge), typeof(MemoryUsage), typeof(CpuUsage)])
        { Aliases = ["metrics", "prometheus"] },
        new(ArtifactKind.StatsdLines, "statsd-lines", "StatsD datagrams",
            "Gunicorn's `--statsd-host` datagrams captured to a file (e.g. `nc -ul 8125 > statsd.txt`)",
            [typeof(RequestDurationHistogram), typeof(Counter), typeof(Gauge), typeof(TrafficSummary)])
        { Aliases = ["statsd"] },
        new(ArtifactKind.PrometheusConfig, "prometheus-config", "Prometheus configuration", "prometheus.yml",
            [typeof(ConfigParameter)]),
        new(ArtifactKind.NewRelicConfig, "newrelic-config", "New Relic agent configuration", "newrelic.ini",
            [typeof(ConfigParameter)])
        { Aliases = ["newrelic"] },
        new(ArtifactKind.ObservationJson, "observation-json", "observation JSON",
            "a JSON document in the observation format (docs/observation-json.md), e.g. exported by a monitoring app",
            [typeof(Observation)])
        { Aliases = ["json", "observations"] },
    ];

    /// <summary>The kind named <paramref name="name"/> (its name or an alias, any case); false when there is none.</summary>
    public static bool TryFind(string name, out ArtifactKindInfo info)
    {
        ArgumentNullException.ThrowIfNull(name);
        info = All.FirstOrDefault(k => k.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
            || k.Aliases.Any(a => a.Equals(name, StringComparison.OrdinalIgnoreCase))
            || k.Kind.ToString().Equals(name, StringComparison.OrdinalIgnoreCase))!;
        return info is not null;
    }

    /// <summary>The entry for <paramref name="kind"/>.</summary>
    public static ArtifactKindInfo Of(ArtifactKind kind) =>
        All.FirstOrDefault(k => k.Kind == kind) ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "No built-in reader reads this kind.");

    /// <summary>
    /// The kinds whose readers yield facts of <paramref name="observationType"/> (or of a subtype), observation JSON last
    /// since it can carry anything.
    /// </summary>
    public static IReadOnlyList<ArtifactKindInfo> Yielding(Type observationType)
    {
        ArgumentNullException.ThrowIfNull(observationType);
        return All.Where(k => k.Kind != ArtifactKind.ObservationJson && k.Yields.Any(observationType.IsAssignableFrom))
            .Append(Of(ArtifactKind.ObservationJson))
            .Where(k => k.Yields.Any(t => observationType.IsAssignableFrom(t) || t.IsAssignableFrom(observationType)))
            .ToArray();
    }
}
