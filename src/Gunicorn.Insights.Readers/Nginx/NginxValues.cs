using System.Globalization;

namespace Gunicorn.Insights.Readers.Nginx;

/// <summary>
/// nginx's value syntaxes: times (<c>60</c>, <c>60s</c>, <c>1m30s</c>, <c>500ms</c>; a bare number is seconds; units
/// <c>ms s m h d w M y</c>, M = 30 days, y = 365 days, as <c>ngx_parse_time</c>) and sizes (<c>1024</c>, <c>8k</c>,
/// <c>10m</c>, <c>1g</c>; k/m/g are powers of 1024, as <c>ngx_parse_size</c>/<c>ngx_parse_offset</c>).
/// </summary>
internal static class NginxValues
{
    private static readonly TimeSpan LongestTime = TimeSpan.FromDays(365 * 100);

    /// <summary>Reads an nginx time; false when the text is none.</summary>
    public static bool TryParseTime(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var rest = text.AsSpan().Trim();
        if (rest.Length == 0 || rest.Length > 64)
        {
            return false;
        }

        if (long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var bare))
        {
            if (bare > LongestTime.TotalSeconds)
            {
                return false;
            }

            value = TimeSpan.FromSeconds(bare);
            return true;
        }

        var total = TimeSpan.Zero;
        var i = 0;
        while (i < rest.Length)
        {
            var start = i;
            while (i < rest.Length && char.IsAsciiDigit(rest[i]))
            {
                i++;
            }

            if (i == start || i - start > 12 || !long.TryParse(rest[start..i], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < rest.Length && char.IsAsciiLetter(rest[i]))
            {
                i++;
            }

            double? seconds = rest[unitStart..i] switch
            {
                "ms" => number / 1000.0,
                "s" => number,
                "m" => number * 60.0,
                "h" => number * 3600.0,
                "d" => number * 86400.0,
                "w" => number * 7 * 86400.0,
                "M" => number * 30 * 86400.0,
                "y" => number * 365 * 86400.0,
                "" when i == rest.Length => number,
                _ => null,
            };
            if (seconds is not { } part || total.TotalSeconds + part > LongestTime.TotalSeconds)
            {
                return false;
            }

            total += Seconds(part);
        }

        value = total;
        return true;
    }

    /// <summary>Reads an nginx size in bytes; false when the text is none.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var rest = text.AsSpan().Trim();
        if (rest.Length == 0 || rest.Length > 24)
        {
            return false;
        }

        long multiplier = 1;
        switch (rest[^1])
        {
            case 'k' or 'K':
                multiplier = 1024;
                rest = rest[..^1];
                break;
            case 'm' or 'M':
                multiplier = 1024 * 1024;
                rest = rest[..^1];
                break;
            case 'g' or 'G':
                multiplier = 1024L * 1024 * 1024;
                rest = rest[..^1];
                break;
        }

        if (!long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > long.MaxValue / multiplier)
        {
            return false;
        }

        bytes = number * multiplier;
        return true;
    }

    /// <summary>A number of seconds as a duration, rounded to the nearest tick (0.01 s is 100 000 ticks, not 99 999).</summary>
    public static TimeSpan Seconds(double seconds) => TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    /// <summary>Reads a decimal number of seconds as nginx logs them (<c>0.123</c>); false for <c>-</c> and anything else.</summary>
    public static bool TryParseSeconds(ReadOnlySpan<char> text, out double seconds)
    {
        seconds = 0;
        text = text.Trim();
        if (text.Length == 0 || text.Length > 20 || !char.IsAsciiDigit(text[0]))
        {
            return false;
        }

        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds)
            && double.IsFinite(seconds) && seconds < 100 * 365 * 86400.0;
    }
}
