using System.Globalization;

namespace Gunicorn.Insights.Readers.GunicornLogs;

/// <summary>
/// The parts of one Gunicorn error-log entry: time, pid of the process that logged it, level and message, in the
/// formats every version writes (<c>[2026-11-23 23:45:22 +0000] [7657] [CRITICAL] …</c>; 0.x–19.x's
/// <c>2012-10-05 13:12:34 [1234] [INFO] …</c>; the syslog handler's <c>[7657] …</c>).
/// </summary>
internal readonly record struct GunicornLogLine(DateTimeOffset? Time, int? Pid, string? Level, string Message)
{
    /// <summary>Parses an unwrapped line; false for continuation lines (tracebacks, the configuration dump).</summary>
    public static bool TryParse(string line, out GunicornLogLine entry)
    {
        entry = default;
        var rest = line.AsSpan();
        DateTimeOffset? time = null;
        if (rest.Length > 28 && rest[0] == '[' && rest[20] == ' ' && rest[26] == ']' && TryTime(rest[1..20], rest[21..26], out var bracketed))
        {
            time = bracketed;
            rest = rest[27..].TrimStart(' ');
        }
        else if (rest.Length > 21 && char.IsAsciiDigit(rest[0]) && rest[4] == '-' && rest[19] == ' ' && TryTime(rest[..19], default, out var plain))
        {
            time = plain;
            rest = rest[20..];
        }

        if (!TryBracket(ref rest, out var pidText) || !int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        string? level = null;
        var afterPid = rest;
        if (TryBracket(ref afterPid, out var levelText) && IsLevel(levelText))
        {
            level = levelText.ToString();
            rest = afterPid;
        }
        else if (time is not null)
        {
            return false;
        }

        entry = new GunicornLogLine(time, pid, level, rest.ToString());
        return true;
    }

    /// <summary>
    /// The common shape, <c>yyyy-MM-dd HH:mm:ss</c> in ASCII digits with valid values, read directly: every line of a
    /// log has a timestamp, and the general parser costs several times the rest of the line. Anything else (an invalid
    /// date, other characters) is left to the general parser, so what is accepted does not change.
    /// </summary>
    private static bool TryDigits(ReadOnlySpan<char> text, out DateTime value)
    {
        value = default;
        if (text.Length != 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' || text[16] != ':')
        {
            return false;
        }

        if (!TryNumber(text[..4], out var year) || !TryNumber(text.Slice(5, 2), out var month) || !TryNumber(text.Slice(8, 2), out var day)
            || !TryNumber(text.Slice(11, 2), out var hour) || !TryNumber(text.Slice(14, 2), out var minute) || !TryNumber(text.Slice(17, 2), out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        return true;
    }

    private static bool TryNumber(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static bool TryBracket(ref ReadOnlySpan<char> text, out ReadOnlySpan<char> inside)
    {
        inside = default;
        if (text.Length < 3 || text[0] != '[')
        {
            return false;
        }

        var close = text.IndexOf(']');
        if (close < 2)
        {
            return false;
        }

        inside = text[1..close];
        text = text[(close + 1)..].TrimStart(' ');
        return true;
    }

    private static bool IsLevel(ReadOnlySpan<char> text) =>
        text is "DEBUG" or "INFO" or "WARNING" or "ERROR" or "CRITICAL" or "WARN" or "FATAL";

    private static bool TryTime(ReadOnlySpan<char> dateTime, ReadOnlySpan<char> zone, out DateTimeOffset time)
    {
        time = default;
        if (!TryDigits(dateTime, out var local)
            && !DateTime.TryParseExact(dateTime, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
        {
            return false;
        }

        var offset = TimeSpan.Zero;
        if (zone.Length == 5 && (zone[0] == '+' || zone[0] == '-')
            && int.TryParse(zone[1..3], NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            && int.TryParse(zone[3..5], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
        {
            offset = new TimeSpan(hours, minutes, 0) * (zone[0] == '-' ? -1 : 1);
        }
        else if (zone.Length != 0)
        {
            return false;
        }

        // DateTimeOffset accepts offsets of at most ±14:00 in whole minutes; a corrupted zone is no time at all.
        if (offset.Duration() > TimeSpan.FromHours(14) || offset.Minutes >= 60)
        {
            return false;
        }

        time = new DateTimeOffset(local, offset);
        return true;
    }
}
