using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// GI3005: Gunicorn runs more than one worker process and the application serves Prometheus metrics (client-side
/// Prometheus settings, a scrape target on Gunicorn's port, or requests to <c>/metrics</c>) without
/// <c>PROMETHEUS_MULTIPROC_DIR</c>, so "Multi-process model complicates Prometheus metrics collection".
/// </summary>
public sealed class PrometheusWithoutMultiprocessModeRule : Rule
{
    /// <summary>The environment variable of prometheus_client's multiprocess mode (older releases read it in lower case).</summary>
    internal const string MultiprocessDirectory = "PROMETHEUS_MULTIPROC_DIR";

    private const string MetricsPath = "/metrics";

    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<HostFacts> hosts = null!;
        IReadOnlyList<ConfigParameter> prometheus = null!;
        IReadOnlyList<TrafficSummary> scrapes = null!;
        IReadOnlyList<object> clientEvidence = null!;

        When()
            .Match(() => configuration)
            .Collect(() => prometheus, (ConfigParameter p) => p.Instance == configuration.Instance, p => p.Scope == ConfigurationScope.Prometheus)
            .Collect(() => scrapes, (TrafficSummary t) => t.Instance == configuration.Instance, t => t.Path == MetricsPath && t.Requests > 0)
            .Let(() => clientEvidence, () => ClientEvidence(configuration, prometheus, scrapes))
            .Having(() => clientEvidence.Count > 0)
            .Not<ConfigParameter>(p => p.Instance == configuration.Instance,
                p => p.Scope == ConfigurationScope.Platform && string.Equals(p.Name, MultiprocessDirectory, StringComparison.OrdinalIgnoreCase))
            .Not<LaunchCommand>(c => c.Instance == configuration.Instance,
                c => c.Words.Any(w => w.StartsWith(MultiprocessDirectory + "=", StringComparison.OrdinalIgnoreCase)))
            .Collect(() => hosts, (HostFacts h) => h.Instance == configuration.Instance)
            .Having(() => MinimumWorkers(configuration, hosts) > 1);
        Then()
            .Report(LatencyDescriptors.PrometheusMultiprocess, () => Finding
                .Of(Workers(configuration, hosts), Describe(clientEvidence))
                .Because(configuration[GunicornSettingCatalog.Workers.Name], clientEvidence));
    }

    /// <summary>
    /// What shows a Prometheus client inside the application: client-side histogram buckets, a scrape
    /// target on a port Gunicorn binds, requests to <c>/metrics</c>.
    /// </summary>
    internal static IReadOnlyList<object> ClientEvidence(GunicornConfiguration configuration, IReadOnlyList<ConfigParameter> prometheus,
        IReadOnlyList<TrafficSummary> scrapes)
    {
        var binds = ScrapeAddresses.TcpBinds(configuration);
        var evidence = new List<object>();
        evidence.AddRange(prometheus.Where(p => p.Name.EndsWith(".buckets", StringComparison.Ordinal)));
        evidence.AddRange(prometheus.Where(p => p.Name == ScrapeAddresses.Targets
            && ScrapeAddresses.Endpoints(p).Any(t => binds.Any(b => ScrapeAddresses.Reaches(t, b)))));
        evidence.AddRange(scrapes);
        return evidence;
    }

    /// <summary>The fewest worker processes the configuration can mean (a CPU formula on an unknown host counts one CPU).</summary>
    internal static int MinimumWorkers(GunicornConfiguration configuration, IReadOnlyList<HostFacts> hosts) =>
        configuration.WorkerCount(CpuCount(hosts)) ?? configuration.WorkerCount(1) ?? 1;

    /// <summary>The worker count as the message states it.</summary>
    internal static string Workers(GunicornConfiguration configuration, IReadOnlyList<HostFacts> hosts) =>
        configuration.WorkerCount(CpuCount(hosts)) is { } count
            ? DiagnosisMessage.FormatValue(count)
            : $"at least {DiagnosisMessage.FormatValue(MinimumWorkers(configuration, hosts))} ({configuration.Workers.Text})";

    /// <summary>The Prometheus evidence in words.</summary>
    internal static string Describe(IReadOnlyList<object> evidence) =>
        string.Join(", ", evidence.Select(e => e switch
        {
            ConfigParameter { Name: ScrapeAddresses.Targets } targets => $"a scrape target on Gunicorn's port ({string.Join(", ", ScrapeAddresses.Items(targets.Value))})",
            ConfigParameter parameter => parameter.Name,
            TrafficSummary traffic => $"{DiagnosisMessage.FormatValue(traffic.Requests)} requests to {MetricsPath}",
            _ => e.ToString() ?? "",
        }).Distinct(StringComparer.Ordinal));

    private static int? CpuCount(IReadOnlyList<HostFacts> hosts) => hosts.Select(h => h.CpuCount).FirstOrDefault(c => c is not null);
}
