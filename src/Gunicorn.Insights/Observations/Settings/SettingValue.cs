using System.Globalization;

namespace Gunicorn.Insights.Observations.Settings;

/// <summary>
/// A typed configuration value. Durations are <see cref="TimeSpan"/>s, never bare numbers; a worker-count formula
/// keeps its text and can be evaluated once the CPU count is known.
/// </summary>
public sealed class SettingValue : IEquatable<SettingValue>
{
    private readonly long _integer;
    private readonly TimeSpan _duration;
    private readonly double _cpuMultiplier;
    private readonly IReadOnlyList<string> _items;

    private SettingValue(SettingValueKind kind, string text, long integer = 0, TimeSpan duration = default,
        double cpuMultiplier = 0, IReadOnlyList<string>? items = null)
    {
        Kind = kind;
        Text = text;
        _integer = integer;
        _duration = duration;
        _cpuMultiplier = cpuMultiplier;
        _items = items ?? [];
    }

    /// <summary>The value's type.</summary>
    public SettingValueKind Kind { get; }

    /// <summary>The value as written (or, for defaults, as Gunicorn documents it).</summary>
    public string Text { get; }

    /// <summary>A whole number.</summary>
    public static SettingValue Integer(long value) =>
        new(SettingValueKind.Integer, value.ToString(CultureInfo.InvariantCulture), integer: value);

    /// <summary>A length of time, shown in the unit it was given in when <paramref name="text"/> is supplied.</summary>
    public static SettingValue Duration(TimeSpan value, string? text = null) =>
        new(SettingValueKind.Duration, text ?? FormatSeconds(value), duration: value);

    /// <summary>A length of time given in whole seconds, as Gunicorn's timeouts are.</summary>
    public static SettingValue Seconds(long seconds) =>
        new(SettingValueKind.Duration, seconds.ToString(CultureInfo.InvariantCulture), duration: TimeSpan.FromSeconds(seconds));

    /// <summary>A yes/no flag.</summary>
    public static SettingValue Boolean(bool value) => new(SettingValueKind.Boolean, value ? "True" : "False", integer: value ? 1 : 0);

    /// <summary>A string.</summary>
    public static SettingValue FromText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(SettingValueKind.Text, value);
    }

    /// <summary>A list of strings.</summary>
    public static SettingValue List(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items.ToArray();
        return new(SettingValueKind.List, "[" + string.Join(", ", list.Select(i => $"'{i}'")) + "]", items: list);
    }

    /// <summary>
    /// A formula of the form <c>cpu_count() * multiplier + offset</c>, kept with its source text.
    /// </summary>
    public static SettingValue CpuFormula(string text, double multiplier, long offset)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(SettingValueKind.CpuFormula, text, integer: offset, cpuMultiplier: multiplier);
    }

    /// <summary>Reads a whole number; a formula needs <see cref="TryEvaluate"/> instead.</summary>
    public bool TryGetInteger(out long value)
    {
        value = _integer;
        return Kind is SettingValueKind.Integer;
    }

    /// <summary>Reads a duration.</summary>
    public bool TryGetDuration(out TimeSpan value)
    {
        value = _duration;
        return Kind is SettingValueKind.Duration;
    }

    /// <summary>Reads a flag.</summary>
    public bool TryGetBoolean(out bool value)
    {
        value = _integer != 0;
        return Kind is SettingValueKind.Boolean;
    }

    /// <summary>The items of a list value; a single item for any other kind.</summary>
    public IReadOnlyList<string> Items => Kind is SettingValueKind.List ? _items : [Text];

    /// <summary>
    /// Evaluates an integer or a CPU formula for a host with <paramref name="cpuCount"/> CPUs
    /// (the formula's result truncated toward zero, as Python's <c>int()</c> does).
    /// </summary>
    public bool TryEvaluate(int cpuCount, out long value)
    {
        switch (Kind)
        {
            case SettingValueKind.Integer:
                value = _integer;
                return true;
            case SettingValueKind.CpuFormula:
                value = (long)Math.Truncate(cpuCount * _cpuMultiplier + _integer);
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>The value as written.</summary>
    public override string ToString() => Text;

    /// <inheritdoc />
    public bool Equals(SettingValue? other) =>
        other is not null && Kind == other.Kind && Text == other.Text && _integer == other._integer
        && _duration == other._duration && _cpuMultiplier.Equals(other._cpuMultiplier) && _items.SequenceEqual(other._items);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SettingValue);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Text);

    private static string FormatSeconds(TimeSpan value) =>
        value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
