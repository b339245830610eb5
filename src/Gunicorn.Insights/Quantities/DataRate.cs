using System.Globalization;

namespace Gunicorn.Insights.Quantities;

/// <summary>An amount of data moved per second, such as swap-in or swap-out traffic.</summary>
public readonly record struct DataRate(double BytesPerSecond) : IComparable<DataRate>
{
    /// <summary>No traffic.</summary>
    public static DataRate Zero => default;

    /// <summary>From kibibytes per second, the unit of <c>vmstat</c>'s <c>si</c>/<c>so</c> columns.</summary>
    public static DataRate FromKibibytesPerSecond(double kibibytesPerSecond) => new(kibibytesPerSecond * 1024);

    /// <summary>The amount moved in <paramref name="interval"/>.</summary>
    public ByteSize Over(TimeSpan interval) => new((long)Math.Round(BytesPerSecond * interval.TotalSeconds));

    /// <inheritdoc />
    public int CompareTo(DataRate other) => BytesPerSecond.CompareTo(other.BytesPerSecond);

    /// <summary>Compares two rates.</summary>
    public static bool operator <(DataRate left, DataRate right) => left.BytesPerSecond < right.BytesPerSecond;

    /// <summary>Compares two rates.</summary>
    public static bool operator >(DataRate left, DataRate right) => left.BytesPerSecond > right.BytesPerSecond;

    /// <summary>Compares two rates.</summary>
    public static bool operator <=(DataRate left, DataRate right) => left.BytesPerSecond <= right.BytesPerSecond;

    /// <summary>Compares two rates.</summary>
    public static bool operator >=(DataRate left, DataRate right) => left.BytesPerSecond >= right.BytesPerSecond;

    /// <summary>Formats per second with a binary unit, e.g. <c>12 KiB/s</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{new ByteSize((long)Math.Round(BytesPerSecond))}/s");
}
