namespace Gunicorn.Insights.Readers.Metrics;

/// <summary>One sample line of a Prometheus text or OpenMetrics exposition: <c>name{labels} value [timestamp] [# exemplar]</c>.</summary>
/// <param name="Name">The metric name (a quoted UTF-8 name is unquoted).</param>
/// <param name="Labels">The labels in the order written, values unescaped.</param>
/// <param name="Value">The value.</param>
/// <param name="Timestamp">The timestamp as written: milliseconds in text 0.0.4, seconds in OpenMetrics; null when absent.</param>
/// <param name="TimestampHasFraction">True when the timestamp has a fraction or exponent (only OpenMetrics seconds do).</param>
/// <param name="HasExemplar">True when an OpenMetrics exemplar (<c> # {…} value</c>) followed; it is ignored.</param>
internal sealed record ExpositionSample(
    string Name,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    double Value,
    double? Timestamp,
    bool TimestampHasFraction,
    bool HasExemplar)
{
    /// <summary>The value of the label <paramref name="name"/>, or null.</summary>
    public string? Label(string name)
    {
        foreach (var label in Labels)
        {
            if (label.Key == name)
            {
                return label.Value;
            }
        }

        return null;
    }
}
