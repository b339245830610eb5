using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Rules.Capacity;
using Gunicorn.Insights.Rules.Dependencies;
using Gunicorn.Insights.Rules.Derivations;
using Gunicorn.Insights.Rules.Latency;

namespace Gunicorn.Insights.Rules.Export;

/// <summary>
/// The metric-based rules of the pack as Prometheus alerting rules, so that the conditions the rules diagnose after
/// the fact also page while they happen. Thresholds come from the rules' parameters (a configuration's overrides
/// included), severities from the configuration; a rule turned off is left out.
/// <list type="bullet">
/// <item>GI3001, GI3002: Gunicorn's request-duration histogram (<c>gunicorn_request_duration_seconds</c>: Gunicorn's
/// StatsD timer <c>gunicorn.request.duration</c> through statsd_exporter, or the application's own histogram).</item>
/// <item>GI2003: the histogram, Gunicorn's StatsD gauge <c>gunicorn.workers</c> (<c>gunicorn_workers</c>) and
/// node_exporter's <c>node_cpu_seconds_total</c>.</item>
/// <item>GI2007: node_exporter's <c>node_cpu_seconds_total</c> and the histogram.</item>
/// <item>GI6006: Gunicorn's StatsD counter <c>gunicorn.log.critical</c> (<c>gunicorn_log_critical_total</c>) and
/// node_exporter's <c>node_cpu_seconds_total</c>.</item>
/// <item>GI6007: node_exporter's <c>node_vmstat_pswpin</c>, <c>node_vmstat_pswpout</c> and <c>node_memory_*</c>.</item>
/// </list>
/// Series of different exporters are joined on the <c>instance</c> label, so both jobs must give a host the same one.
/// </summary>
public static class PrometheusAlertingRules
{
    /// <summary>The window request durations are measured over, as <c>rate(…[10m])</c>.</summary>
    public static TimeSpan LatencyWindow { get; } = TimeSpan.FromMinutes(10);

    /// <summary>The window CPU utilisation is measured over.</summary>
    public static TimeSpan CpuWindow { get; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back GI3002's baseline window lies: the same window a day earlier.</summary>
    public static TimeSpan BaselineOffset { get; } = TimeSpan.FromDays(1);

    private const string HistogramExporter =
        "gunicorn_request_duration_seconds: Gunicorn's StatsD timer gunicorn.request.duration through statsd_exporter "
        + "(mapped as a histogram), or the application's own histogram under that name";

    private const string WorkersExporter = "gunicorn_workers: Gunicorn's StatsD gauge gunicorn.workers through statsd_exporter";

    private const string CriticalLinesExporter =
        "gunicorn_log_critical_total: Gunicorn's StatsD counter gunicorn.log.critical through statsd_exporter";

    private const string NodeCpuExporter = "node_cpu_seconds_total: node_exporter";

    private const string NodeMemoryExporter =
        "node_vmstat_pswpin, node_vmstat_pswpout, node_memory_MemAvailable_bytes, node_memory_MemTotal_bytes, "
        + "node_memory_SwapTotal_bytes, node_memory_SwapFree_bytes: node_exporter";

    /// <summary>The rules these alerts stand for, in the order they are written.</summary>
    public static IReadOnlyList<InsightDescriptor> Descriptors { get; } =
    [
        LatencyDescriptors.HighP95Latency,
        LatencyDescriptors.RequestDurationRise,
        CapacityDescriptors.InsufficientWorkerCount,
        CapacityDescriptors.CpuSpikeSlowsRequests,
        DependenciesDescriptors.HighCpuWorkerTimeout,
        DependenciesDescriptors.MemorySwapping,
    ];

    /// <summary>
    /// The alerting rules under <paramref name="configuration"/> (default: every rule at its default severity and
    /// thresholds).
    /// </summary>
    /// <exception cref="InsightConfigurationException">A parameter of a built-in rule is unknown or its value invalid.</exception>
    public static IReadOnlyList<PrometheusAlertRule> Create(InsightConfiguration? configuration = null)
    {
        configuration ??= InsightConfiguration.Default;

        // A host's configuration may carry parameters of its own rules; only the built-in pack's are checked here.
        var builtIn = RuleDescriptors.All.Select(d => d.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var ours = configuration.Parameters
            .Where(p => builtIn.Contains(p.Key.Split('.')[0]) || p.Key.StartsWith(InsightDescriptor.BuiltInPrefix, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var parameters = RuleParameters.Resolve(new InsightConfiguration(parameters: ours), RuleDescriptors.All);

        var rules = new List<PrometheusAlertRule>();
        foreach (var descriptor in Descriptors)
        {
            if (configuration.EffectiveSeverity(descriptor) is { } severity)
            {
                rules.Add(Alert(descriptor, severity, parameters));
            }
        }

        return rules;
    }

    private static PrometheusAlertRule Alert(InsightDescriptor descriptor, Severity severity, RuleParameters parameters) => descriptor.Id switch
    {
        "GI3001" => HighP95Latency(descriptor, severity, parameters),
        "GI3002" => RequestDurationRise(descriptor, severity, parameters),
        "GI2003" => InsufficientWorkerCount(descriptor, severity, parameters),
        "GI2007" => CpuSpikeSlowsRequests(descriptor, severity, parameters),
        "GI6006" => HighCpuWorkerTimeout(descriptor, severity, parameters),
        _ => MemorySwapping(descriptor, severity, parameters),
    };

    private static PrometheusAlertRule HighP95Latency(InsightDescriptor rule, Severity severity, RuleParameters parameters)
    {
        var limit = parameters.Duration(rule, "p95-limit");
        var minRequests = parameters.Integer(rule, "min-requests");
        var expression = $"""
            {PromQl.Quantile(0.95, LatencyWindow)}
              > {PromQl.Seconds(limit)}
            and on (instance)
              {PromQl.Requests(LatencyWindow)} >= {minRequests}
            """;
        var summary = $"P95 request duration on {{{{ $labels.instance }}}} is {{{{ $value | humanizeDuration }}}} over the last "
            + $"{PromQl.Duration(LatencyWindow)}, above the limit of {PromQl.Duration(limit)}, over at least {minRequests} requests.";
        return new PrometheusAlertRule("GunicornP95LatencyHigh", rule, severity, expression, summary)
        {
            For = TimeSpan.FromMinutes(5),
            Exporters = [HistogramExporter],
        };
    }

    private static PrometheusAlertRule RequestDurationRise(InsightDescriptor rule, Severity severity, RuleParameters parameters)
    {
        var factor = PromQl.Number(parameters.Number(rule, "factor"));
        var minIncrease = parameters.Duration(rule, "min-increase");
        var minRequests = parameters.Integer(rule, "min-requests");
        string Rise(double quantile)
        {
            var now = PromQl.Quantile(quantile, LatencyWindow);
            var baseline = PromQl.Quantile(quantile, LatencyWindow, BaselineOffset);
            return $"""
                    {now}
                      >= {factor} * {baseline}
                  and
                    {now}
                      - {baseline} >= {PromQl.Seconds(minIncrease)}
                """;
        }

        var expression = $"""
            (
            {Rise(0.95)}
              or
            {Rise(0.5)}
            )
            and on (instance)
              {PromQl.Requests(LatencyWindow)} >= {minRequests}
            and on (instance)
              {PromQl.Requests(LatencyWindow, BaselineOffset)} >= {minRequests}
            """;
        var summary = $"Request duration on {{{{ $labels.instance }}}} rose to {{{{ $value | humanizeDuration }}}} (P95 or P50 over the last "
            + $"{PromQl.Duration(LatencyWindow)}), at least {factor}× and {PromQl.Duration(minIncrease)} above the same window "
            + $"{PromQl.Duration(BaselineOffset)} earlier, with at least {minRequests} requests in each.";
        return new PrometheusAlertRule("GunicornRequestDurationRise", rule, severity, expression, summary)
        {
            For = TimeSpan.FromMinutes(10),
            Exporters = [HistogramExporter],
        };
    }

    private static PrometheusAlertRule InsufficientWorkerCount(InsightDescriptor rule, Severity severity, RuleParameters parameters)
    {
        var ratio = PromQl.Number(parameters.Number(rule, "variance-ratio"));
        var minRequests = parameters.Integer(rule, "min-requests");
        const string Workers = "max by (instance) (gunicorn_workers)";
        const string Cpus = "count by (instance) (node_cpu_seconds_total{mode=\"idle\"})";

        // As the rule: no finding for a single worker (GI2005's case) nor on saturated CPUs (more workers would not help).
        var expression = $"""
            {PromQl.Quantile(0.99, LatencyWindow)}
              / {PromQl.Quantile(0.5, LatencyWindow)}
              >= {ratio}
            and on (instance)
              {PromQl.Requests(LatencyWindow)} >= {minRequests}
            and on (instance)
              {Workers} >= 2
            and on (instance)
              {Workers} < 2 * {Cpus} + 1
            unless on (instance)
              {PromQl.CpuBusy(CpuWindow)} * 100 >= {PromQl.Number(CpuSaturation.SaturatedUtilization.Value)}
            """;
        var summary = "P99 request duration on {{ $labels.instance }} is {{ $value | humanize }} times the P50 over the last "
            + $"{PromQl.Duration(LatencyWindow)} while Gunicorn runs fewer workers than (2 × CPU cores) + 1: requests wait for a free worker.";
        return new PrometheusAlertRule("GunicornTooFewWorkers", rule, severity, expression, summary)
        {
            For = TimeSpan.FromMinutes(15),
            Exporters = [HistogramExporter, WorkersExporter, NodeCpuExporter],
        };
    }

    private static PrometheusAlertRule CpuSpikeSlowsRequests(InsightDescriptor rule, Severity severity, RuleParameters parameters)
    {
        var limit = parameters.Duration(rule, "p95-limit");
        var minRequests = parameters.Integer(rule, "min-requests");
        var saturated = PromQl.Number(CpuSaturation.SaturatedUtilization.Value);

        // A host that is mostly waiting on I/O is not CPU-bound, as the shared CPU finding decides.
        var expression = $"""
            {PromQl.CpuBusy(CpuWindow)} * 100 >= {saturated}
            unless on (instance)
              {PromQl.CpuIoWait(CpuWindow)} * 2 >= {PromQl.CpuBusy(CpuWindow)}
            and on (instance)
              {PromQl.Quantile(0.95, LatencyWindow)} >= {PromQl.Seconds(limit)}
            and on (instance)
              {PromQl.Requests(LatencyWindow)} >= {minRequests}
            """;
        var summary = $"CPU on {{{{ $labels.instance }}}} is at {{{{ $value | humanize }}}} % while the P95 request duration is at or above "
            + $"{PromQl.Duration(limit)}: the application is CPU-bound, and more workers will not help.";
        return new PrometheusAlertRule("GunicornCpuSaturatedSlowRequests", rule, severity, expression, summary)
        {
            For = TimeSpan.FromMinutes(5),
            Exporters = [NodeCpuExporter, HistogramExporter],
        };
    }

    private static PrometheusAlertRule HighCpuWorkerTimeout(InsightDescriptor rule, Severity severity, RuleParameters parameters)
    {
        var window = parameters.Duration(rule, "window");
        var saturated = PromQl.Number(CpuSaturation.SaturatedUtilization.Value);
        var expression = $"""
            sum by (instance) (increase(gunicorn_log_critical_total[{PromQl.Duration(window)}])) > 0
            and on (instance)
              max_over_time({PromQl.CpuBusy(TimeSpan.FromMinutes(1))}[{PromQl.Duration(window)}:1m]) * 100 >= {saturated}
            """;
        var summary = $"Gunicorn on {{{{ $labels.instance }}}} logged {{{{ $value | humanize }}}} CRITICAL line(s) (WORKER TIMEOUT) in the last "
            + $"{PromQl.Duration(window)} while the host's CPUs were at or above {saturated} %: workers time out waiting for CPU.";
        return new PrometheusAlertRule("GunicornWorkerTimeoutsOnBusyCpu", rule, severity, expression, summary)
        {
            Exporters = [CriticalLinesExporter, NodeCpuExporter],
        };
    }

    private static PrometheusAlertRule MemorySwapping(InsightDescriptor rule, Severity severity, RuleParameters parameters)
    {
        var swapRate = PromQl.Number(parameters.Number(rule, "swap-rate"));
        var minSamples = parameters.Integer(rule, "min-swap-samples");
        var minAvailable = PromQl.Number(parameters.Number(rule, "min-available"));
        var window = PromQl.Duration(parameters.Duration(rule, "window"));

        // node_exporter counts swapped pages; × 4 gives KiB/s (4 KiB pages), the unit of vmstat's si/so the rule uses.
        var expression = $"""
            count_over_time((sum by (instance) (rate(node_vmstat_pswpin[1m]) + rate(node_vmstat_pswpout[1m])) * 4 >= {swapRate})[{window}:1m])
              >= {minSamples}
            or
            max by (instance) (
                node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes * 100 < {minAvailable}
              and
                node_memory_SwapTotal_bytes - node_memory_SwapFree_bytes > 0
            )
            """;
        var summary = $"{{{{ $labels.instance }}}} is short of memory: swap traffic of at least {swapRate} KiB/s in {minSamples} or more "
            + $"one-minute samples within {window}, or less than {minAvailable} % of memory available with swap in use. "
            + "With 504s or 'upstream timed out' at the proxy, or workers sent SIGKILL, requests are slow because of it.";
        return new PrometheusAlertRule("GunicornHostShortOfMemory", rule, severity, expression, summary)
        {
            Exporters = [NodeMemoryExporter],
        };
    }
}
