using System.Globalization;

namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>
/// The date and time zone known so far in an input (a <c>date</c> line, a <c>vmstat -t</c> sample), so that tools that
/// print only a time of day (<c>top - 23:45:22</c>, <c>uptime</c>) can be placed in time.
/// </summary>
internal sealed class ClockReference
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] Days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    /// <summary>The latest known moment, with its offset; null until a date was seen.</summary>
    public DateTimeOffset? Known { get; private set; }

    /// <summary>Remembers <paramref name="moment"/> as the latest known date.</summary>
    public void Saw(DateTimeOffset moment)
    {
        if (moment.Year is >= 1970 and <= 9998)
        {
            Known = moment;
        }
    }

    /// <summary>
    /// The moment of a time of day (<c>23:45:22</c>) nearest the known date; null when no date is known or the text is
    /// not a time.
    /// </summary>
    public DateTimeOffset? AtTimeOfDay(string text)
    {
        if (Known is not { } known || !TryTimeOfDay(text, out var time))
        {
            return null;
        }

        var candidate = new DateTimeOffset(known.Date + time, known.Offset);
        if (candidate - known > TimeSpan.FromHours(12))
        {
            candidate = candidate.AddDays(-1);
        }
        else if (known - candidate > TimeSpan.FromHours(12))
        {
            candidate = candidate.AddDays(1);
        }

        return candidate;
    }

    /// <summary>Parses <c>HH:mm:ss</c>.</summary>
    public static bool TryTimeOfDay(string text, out TimeSpan time) =>
        TimeSpan.TryParseExact(text, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out time) && time < TimeSpan.FromDays(1);

    /// <summary>
    /// The offset of a time zone as <c>date</c> and <c>vmstat -t</c> print it: <c>UTC</c>, <c>GMT</c>, <c>Z</c>, or a
    /// numeric <c>+0100</c>/<c>-05:00</c>; null for an abbreviation whose offset is ambiguous (<c>CET</c>, <c>IST</c>).
    /// </summary>
    public static TimeSpan? ZoneOffset(string zone)
    {
        if (zone is "UTC" or "GMT" or "Z" or "UCT" or "Etc/UTC")
        {
            return TimeSpan.Zero;
        }

        var digits = zone.Replace(":", "", StringComparison.Ordinal);
        if (digits.Length == 5 && digits[0] is '+' or '-' && int.TryParse(digits.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            && int.TryParse(digits.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && hours <= 14 && minutes < 60)
        {
            var offset = new TimeSpan(hours, minutes, 0);
            return digits[0] == '-' ? -offset : offset;
        }

        return null;
    }

    /// <summary>
    /// Parses a <c>date</c> output line: <c>Mon Nov 23 23:45:20 UTC 2026</c>, <c>Mon 23 Nov 2026 23:45:20 UTC</c>,
    /// <c>date -R</c> (<c>Mon, 23 Nov 2026 23:45:20 +0000</c>) and, when <paramref name="afterCommand"/>, ISO 8601
    /// (<c>date -Is</c>). False when it is not a date or its zone's offset is unknown.
    /// </summary>
    public static bool TryParseDateLine(string line, bool afterCommand, out DateTimeOffset moment)
    {
        moment = default;
        var tokens = HostText.Tokens(line.Replace(",", " ", StringComparison.Ordinal));
        if (tokens.Length == 1 && afterCommand)
        {
            return DateTimeOffset.TryParseExact(tokens[0], ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss,fffffffffzzz"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out moment);
        }

        if (tokens.Length != 6 || Array.IndexOf(Days, tokens[0]) < 0)
        {
            return false;
        }

        // ddd MMM d HH:mm:ss ZONE yyyy | ddd d MMM yyyy HH:mm:ss ZONE
        var (month, day, time, zone, year) = Array.IndexOf(Months, tokens[1]) >= 0
            ? (tokens[1], tokens[2], tokens[3], tokens[4], tokens[5])
            : (tokens[2], tokens[1], tokens[4], tokens[5], tokens[3]);
        var monthNumber = Array.IndexOf(Months, month) + 1;
        if (monthNumber == 0 || !HostText.TryInteger(day, out var dayNumber) || !HostText.TryInteger(year, out var yearNumber)
            || yearNumber is < 1970 or > 9999 || dayNumber < 1 || dayNumber > DateTime.DaysInMonth(yearNumber, monthNumber)
            || !TryTimeOfDay(time, out var timeOfDay) || ZoneOffset(zone) is not { } offset)
        {
            return false;
        }

        moment = new DateTimeOffset(new DateTime(yearNumber, monthNumber, dayNumber) + timeOfDay, offset);
        return true;
    }
}
