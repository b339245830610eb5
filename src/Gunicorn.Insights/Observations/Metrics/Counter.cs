using System.Globalization;

namespace Gunicorn.Insights.Observations.Metrics;

/// <summary>
/// A monotonically increasing count, such as <c>gunicorn.requests</c> or <c>gunicorn.log.critical</c>, optionally
/// over a window (then <see cref="Value"/> is the increase in that window).
/// </summary>
public sealed record Counter : Observation
{
    /// <summary>Creates a counter sample read at <paramref name="source"/>.</summary>
    public Counter(string name, double value, SourceLocation source)
        : base(source)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Value = value;
    }

    /// <summary>The metric name.</summary>
    public string Name { get; init; }

    /// <summary>The count (or its increase over <see cref="Window"/>).</summary>
    public double Value { get; init; }

    /// <summary>The metric's labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The time the increase covers, when <see cref="Value"/> is an increase.</summary>
    public TimeSpan? Window { get; init; }

    /// <summary>The rate per second over <see cref="Window"/>, when there is one.</summary>
    public double? PerSecond => Window is { TotalSeconds: > 0 } window ? Value / window.TotalSeconds : null;

    /// <inheritdoc />
    public override string Describe() => Window is { } window
        ? string.Create(CultureInfo.InvariantCulture, $"{Name} increased by {Value:0.###} in {window.TotalSeconds:0.###} s")
        : string.Create(CultureInfo.InvariantCulture, $"{Name} = {Value:0.###}");
}
