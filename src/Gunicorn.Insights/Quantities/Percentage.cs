using System.Globalization;

namespace Gunicorn.Insights.Quantities;

/// <summary>
/// A share expressed in percent, such as CPU utilisation. It may exceed 100 where the source counts every core
/// (as <c>top</c> does per process).
/// </summary>
public readonly record struct Percentage(double Value) : IComparable<Percentage>
{
    /// <summary>From a ratio between 0 and 1.</summary>
    public static Percentage FromRatio(double ratio) => new(ratio * 100);

    /// <summary>The value as a ratio (100 % is 1).</summary>
    public double Ratio => Value / 100;

    /// <inheritdoc />
    public int CompareTo(Percentage other) => Value.CompareTo(other.Value);

    /// <summary>Compares two percentages.</summary>
    public static bool operator <(Percentage left, Percentage right) => left.Value < right.Value;

    /// <summary>Compares two percentages.</summary>
    public static bool operator >(Percentage left, Percentage right) => left.Value > right.Value;

    /// <summary>Compares two percentages.</summary>
    public static bool operator <=(Percentage left, Percentage right) => left.Value <= right.Value;

    /// <summary>Compares two percentages.</summary>
    public static bool operator >=(Percentage left, Percentage right) => left.Value >= right.Value;

    /// <summary>Formats as e.g. <c>97.5 %</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Value:0.#} %");
}
