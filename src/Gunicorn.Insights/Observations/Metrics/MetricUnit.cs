namespace Gunicorn.Insights.Observations.Metrics;

/// <summary>The unit a counter or gauge is in, so no metric value is a bare number of unknown meaning.</summary>
public enum MetricUnit
{
    /// <summary>A count of things (requests, workers, connections).</summary>
    Count,

    /// <summary>Seconds.</summary>
    Seconds,

    /// <summary>Milliseconds (StatsD timers).</summary>
    Milliseconds,

    /// <summary>Bytes.</summary>
    Bytes,

    /// <summary>A percentage (0–100, or more when summed over cores).</summary>
    Percent,

    /// <summary>A ratio between 0 and 1.</summary>
    Ratio,
}
