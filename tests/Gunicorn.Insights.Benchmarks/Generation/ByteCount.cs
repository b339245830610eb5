using System.Globalization;

namespace Gunicorn.Insights.Benchmarks.Generation;

/// <summary>A size written the way people write it on a command line: <c>512MB</c>, <c>1GB</c>, <c>10M</c>, <c>4096</c> (bytes).</summary>
public static class ByteCount
{
    /// <summary>Parses <paramref name="text"/> (binary units: 1 MB = 1 048 576 bytes).</summary>
    public static long Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var trimmed = text.Trim().ToUpperInvariant();
        var unit = trimmed.TrimStart("0123456789.".ToCharArray());
        var number = trimmed[..^unit.Length];
        long multiplier = unit switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            _ => throw new FormatException($"unknown size unit '{unit}' in '{text}' (use B, KB, MB or GB)"),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new FormatException($"'{text}' is not a size such as 512MB");
        }

        return (long)(value * multiplier);
    }
}
