using System.Globalization;

namespace Gunicorn.Insights.Quantities;

/// <summary>An amount of memory or data, always held in bytes.</summary>
public readonly record struct ByteSize(long Bytes) : IComparable<ByteSize>
{
    private const long KibiByte = 1024;

    /// <summary>Zero bytes.</summary>
    public static ByteSize Zero => default;

    /// <summary>From a count of kibibytes (1024 bytes), the unit of <c>/proc/meminfo</c> and <c>vmstat</c>.</summary>
    public static ByteSize FromKibibytes(double kibibytes) => new((long)Math.Round(kibibytes * KibiByte));

    /// <summary>From a count of mebibytes, the unit of <c>free -m</c>.</summary>
    public static ByteSize FromMebibytes(double mebibytes) => new((long)Math.Round(mebibytes * KibiByte * KibiByte));

    /// <summary>From a count of gibibytes.</summary>
    public static ByteSize FromGibibytes(double gibibytes) => new((long)Math.Round(gibibytes * KibiByte * KibiByte * KibiByte));

    /// <summary>The size in mebibytes.</summary>
    public double Mebibytes => Bytes / (double)(KibiByte * KibiByte);

    /// <inheritdoc />
    public int CompareTo(ByteSize other) => Bytes.CompareTo(other.Bytes);

    /// <summary>Compares two sizes.</summary>
    public static bool operator <(ByteSize left, ByteSize right) => left.Bytes < right.Bytes;

    /// <summary>Compares two sizes.</summary>
    public static bool operator >(ByteSize left, ByteSize right) => left.Bytes > right.Bytes;

    /// <summary>Compares two sizes.</summary>
    public static bool operator <=(ByteSize left, ByteSize right) => left.Bytes <= right.Bytes;

    /// <summary>Compares two sizes.</summary>
    public static bool operator >=(ByteSize left, ByteSize right) => left.Bytes >= right.Bytes;

    /// <summary>Formats with a binary unit, e.g. <c>512 MiB</c> or <c>1.5 GiB</c>.</summary>
    public override string ToString()
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = Bytes;
        var unit = 0;
        while (Math.Abs(value) >= KibiByte && unit < units.Length - 1)
        {
            value /= KibiByte;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }
}
