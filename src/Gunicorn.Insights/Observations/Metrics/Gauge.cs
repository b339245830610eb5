using System.Globalization;

namespace Gunicorn.Insights.Observations.Metrics;

/// <summary>A value that goes up and down, such as <c>gunicorn.workers</c>, with its unit.</summary>
public sealed record Gauge : Observation
{
    /// <summary>Creates a gauge sample read at <paramref name="source"/>.</summary>
    public Gauge(string name, double value, MetricUnit unit, SourceLocation source)
        : base(source)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Value = value;
        Unit = unit;
    }

    /// <summary>The metric name.</summary>
    public string Name { get; init; }

    /// <summary>The value, in <see cref="Unit"/>.</summary>
    public double Value { get; init; }

    /// <summary>The unit of <see cref="Value"/>.</summary>
    public MetricUnit Unit { get; init; }

    /// <summary>The metric's labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The value as a duration, for gauges in seconds or milliseconds.</summary>
    public TimeSpan? AsDuration => Unit switch
    {
        MetricUnit.Seconds => TimeSpan.FromSeconds(Value),
        MetricUnit.Milliseconds => TimeSpan.FromMilliseconds(Value),
        _ => null,
    };

    /// <inheritdoc />
    public override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} = {Value:0.###} ({Unit.ToString().ToLowerInvariant()})");
}
