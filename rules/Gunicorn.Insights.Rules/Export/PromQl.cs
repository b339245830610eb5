using System.Globalization;

namespace Gunicorn.Insights.Rules.Export;

/// <summary>PromQL fragments over the metrics the exported alerts read; every series is aggregated by <c>instance</c>.</summary>
internal static class PromQl
{
    /// <summary>Gunicorn's request-duration histogram, in seconds.</summary>
    public const string RequestDuration = "gunicorn_request_duration_seconds";

    /// <summary>A duration as PromQL writes it: <c>1d</c>, <c>10m</c>, <c>30s</c>, <c>1500ms</c>.</summary>
    public static string Duration(TimeSpan value)
    {
        var milliseconds = (long)Math.Round(value.TotalMilliseconds);
        return milliseconds switch
        {
            <= 0 => "0s",
            _ when milliseconds % 86_400_000 == 0 => $"{milliseconds / 86_400_000}d",
            _ when milliseconds % 3_600_000 == 0 => $"{milliseconds / 3_600_000}h",
            _ when milliseconds % 60_000 == 0 => $"{milliseconds / 60_000}m",
            _ when milliseconds % 1000 == 0 => $"{milliseconds / 1000}s",
            _ => $"{milliseconds}ms",
        };
    }

    /// <summary>A number in PromQL's notation, invariant and round-trippable: <c>1.5</c>, <c>100</c>.</summary>
    public static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A duration threshold in seconds, the unit of the histogram: 1.5 s → <c>1.5</c>.</summary>
    public static string Seconds(TimeSpan value) => Number(value.TotalSeconds);

    /// <summary>The <paramref name="quantile"/> of request durations per instance over <paramref name="window"/>.</summary>
    public static string Quantile(double quantile, TimeSpan window, TimeSpan? offset = null) =>
        $"histogram_quantile({Number(quantile)}, sum by (instance, le) (rate({RequestDuration}_bucket[{Duration(window)}]{Offset(offset)})))";

    /// <summary>The number of requests per instance over <paramref name="window"/>.</summary>
    public static string Requests(TimeSpan window, TimeSpan? offset = null) =>
        $"sum by (instance) (increase({RequestDuration}_count[{Duration(window)}]{Offset(offset)}))";

    /// <summary>The host's CPU utilisation per instance as a fraction (node_exporter): one minus the idle share.</summary>
    public static string CpuBusy(TimeSpan window) =>
        $"(1 - avg by (instance) (rate(node_cpu_seconds_total{{mode=\"idle\"}}[{Duration(window)}])))";

    /// <summary>The host's I/O-wait share per instance as a fraction (node_exporter).</summary>
    public static string CpuIoWait(TimeSpan window) =>
        $"avg by (instance) (rate(node_cpu_seconds_total{{mode=\"iowait\"}}[{Duration(window)}]))";

    private static string Offset(TimeSpan? offset) => offset is { } o ? $" offset {Duration(o)}" : "";
}
