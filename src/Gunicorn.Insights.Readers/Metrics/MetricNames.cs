using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Metrics;

/// <summary>What a metric's name (and OpenMetrics <c># UNIT</c>) says about it: request-duration histograms and units.</summary>
internal static class MetricNames
{
    /// <summary>Labels that name the endpoint of a request metric; the first present is copied to <c>path</c>.</summary>
    public static readonly string[] PathLabels = ["path", "handler", "view", "endpoint", "route"];

    private static readonly HashSet<string> KnownRequestDurations = new(StringComparer.Ordinal)
    {
        "http_request_duration_seconds",
        "http_server_request_duration_seconds",
        "http_server_duration_milliseconds",
        "gunicorn_request_duration_seconds",
        "gunicorn_request_duration",
        "django_http_requests_latency_seconds_by_view_method",
        "django_http_requests_latency_including_middlewares_seconds",
        "flask_http_request_duration_seconds",
        "starlette_request_duration_seconds",
        "fastapi_request_duration_seconds",
    };

    private static readonly string[] DurationSuffixes =
    [
        "_duration_seconds", "_latency_seconds", "_duration_milliseconds", "_latency_milliseconds", "_duration_ms", "_latency_ms",
    ];

    /// <summary>
    /// True for histograms of request durations: the well-known names (<c>http_request_duration_seconds</c>,
    /// <c>gunicorn_request_duration_seconds</c>, <c>django_http_requests_latency_seconds_by_view_method</c>, …), any
    /// <c>*_duration_seconds</c> or <c>*_latency_seconds</c> (also in milliseconds), and names with <c>request</c> and
    /// <c>duration</c> or <c>latency</c> (statsd_exporter's <c>gunicorn_request_duration</c>).
    /// </summary>
    public static bool IsRequestDuration(string name)
    {
        var lower = name.ToLowerInvariant();
        if (KnownRequestDurations.Contains(lower))
        {
            return true;
        }

        foreach (var suffix in DurationSuffixes)
        {
            if (lower.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return lower.Contains("_latency_seconds", StringComparison.Ordinal) || lower.Contains("_duration_seconds", StringComparison.Ordinal)
            || (lower.Contains("request", StringComparison.Ordinal)
                && (lower.Contains("duration", StringComparison.Ordinal) || lower.Contains("latency", StringComparison.Ordinal)));
    }

    /// <summary>
    /// What one unit of a duration histogram's <c>le</c> stands for: milliseconds when the <c># UNIT</c> or the name says
    /// so (<c>_milliseconds</c>, <c>_ms</c>), else seconds (Prometheus' base unit).
    /// </summary>
    public static TimeSpan DurationUnit(string name, string? declaredUnit)
    {
        switch (declaredUnit?.ToLowerInvariant())
        {
            case "seconds" or "s":
                return TimeSpan.FromSeconds(1);
            case "milliseconds" or "ms":
                return TimeSpan.FromMilliseconds(1);
        }

        var lower = name.ToLowerInvariant();
        return lower.Contains("_milliseconds", StringComparison.Ordinal) || lower.EndsWith("_ms", StringComparison.Ordinal)
            || lower.Contains("_ms_", StringComparison.Ordinal)
            ? TimeSpan.FromMilliseconds(1)
            : TimeSpan.FromSeconds(1);
    }

    /// <summary>
    /// The unit of a gauge: the <c># UNIT</c> when given, else the name's suffix (<c>_seconds</c>, <c>_milliseconds</c>,
    /// <c>_bytes</c>, <c>_ratio</c>, <c>_percent</c>), else a count.
    /// </summary>
    public static MetricUnit GaugeUnit(string name, string? declaredUnit)
    {
        var unit = declaredUnit?.ToLowerInvariant() switch
        {
            "seconds" => MetricUnit.Seconds,
            "milliseconds" => MetricUnit.Milliseconds,
            "bytes" => MetricUnit.Bytes,
            "ratio" => MetricUnit.Ratio,
            "percent" => MetricUnit.Percent,
            _ => (MetricUnit?)null,
        };
        if (unit is { } declared)
        {
            return declared;
        }

        var lower = name.ToLowerInvariant();
        return lower.EndsWith("_seconds", StringComparison.Ordinal) ? MetricUnit.Seconds
            : lower.EndsWith("_milliseconds", StringComparison.Ordinal) || lower.EndsWith("_ms", StringComparison.Ordinal) ? MetricUnit.Milliseconds
            : lower.EndsWith("_bytes", StringComparison.Ordinal) ? MetricUnit.Bytes
            : lower.EndsWith("_ratio", StringComparison.Ordinal) ? MetricUnit.Ratio
            : lower.EndsWith("_percent", StringComparison.Ordinal) || lower.EndsWith("_percentage", StringComparison.Ordinal) ? MetricUnit.Percent
            : MetricUnit.Count;
    }

    /// <summary>
    /// <paramref name="labels"/> as a dictionary, with <c>path</c> added from the first endpoint label
    /// (<see cref="PathLabels"/>) when there is no <c>path</c> label.
    /// </summary>
    public static Dictionary<string, string> WithPath(IEnumerable<KeyValuePair<string, string>> labels)
    {
        var result = Masked(labels);
        if (!result.ContainsKey("path"))
        {
            foreach (var label in PathLabels)
            {
                if (result.TryGetValue(label, out var path))
                {
                    result["path"] = path;
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// <paramref name="labels"/> as a dictionary with secrets masked: the value of a label whose name says secret, and
    /// credentials or <c>token=…</c> assignments inside values (a <c>path</c> with a query string).
    /// </summary>
    public static Dictionary<string, string> Masked(IEnumerable<KeyValuePair<string, string>> labels)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            result[key] = SecretRedactor.Value(key, value);
        }

        return result;
    }

    /// <summary>A duration in <paramref name="unit"/>s as a TimeSpan, or null when it is not finite or does not fit.</summary>
    public static TimeSpan? ToTimeSpan(double value, TimeSpan unit)
    {
        var seconds = value * unit.TotalSeconds;
        return double.IsFinite(seconds) && Math.Abs(seconds) < 9e11 ? TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)) : null;
    }
}
