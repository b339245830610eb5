using System.Globalization;

namespace Gunicorn.Insights.Readers.Nginx;

/// <summary>What one access-log line says about its request.</summary>
internal readonly record struct NginxAccessEntry(
    DateTimeOffset? Time, string? RequestLine, string? Uri, int Status, double? RequestTime, double? UpstreamResponseTime);

/// <summary>
/// An nginx <c>log_format</c> compiled into literal text and variables, matched against a line without backtracking:
/// each variable's value runs to the next occurrence of the literal that follows it (nginx escapes <c>"</c> inside
/// values as <c>\x22</c>, so quoted values end at the next quote). Only the variables a diagnosis needs are decoded:
/// <c>$time_local</c>, <c>$time_iso8601</c>, <c>$msec</c>, <c>$request</c>, <c>$request_uri</c>, <c>$uri</c>,
/// <c>$status</c>, <c>$request_time</c> and <c>$upstream_response_time</c> (a list such as <c>0.5, 0.1</c> or
/// <c>0.5 : 0.1</c> when nginx tried several servers; its parts are summed).
/// </summary>
internal sealed class NginxLogFormat
{
    /// <summary>The fixed start of nginx's predefined <c>combined</c> format, which most custom formats extend.</summary>
    public const string CombinedPrefix = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent";

    /// <summary>nginx's predefined <c>combined</c> format.</summary>
    public const string Combined = CombinedPrefix + " \"$http_referer\" \"$http_user_agent\"";

    private readonly Segment[] _segments;

    private NginxLogFormat(string name, string text, Segment[] segments, bool prefix)
    {
        Name = name;
        Text = text;
        _segments = segments;
        IsPrefix = prefix;
        HasRequestTime = segments.Any(s => s.Field == Field.RequestTime);
        HasUpstreamResponseTime = segments.Any(s => s.Field == Field.UpstreamResponseTime);
    }

    private enum Field
    {
        Literal,
        Other,
        TimeLocal,
        TimeIso8601,
        Msec,
        Request,
        RequestUri,
        Uri,
        Status,
        RequestTime,
        UpstreamResponseTime,
    }

    /// <summary>The format's name (<c>combined</c>, <c>main</c>, …).</summary>
    public string Name { get; }

    /// <summary>The format text.</summary>
    public string Text { get; }

    /// <summary>True when the format only describes the start of a line (the rest is scanned for timings).</summary>
    public bool IsPrefix { get; }

    /// <summary>True when the format logs <c>$request_time</c>.</summary>
    public bool HasRequestTime { get; }

    /// <summary>True when the format logs <c>$upstream_response_time</c>.</summary>
    public bool HasUpstreamResponseTime { get; }

    /// <summary>True when the format has a status and a time or request to read.</summary>
    public bool IsUsable => _segments.Any(s => s.Field == Field.Status);

    /// <summary>Compiles <paramref name="text"/>; <paramref name="prefix"/> lets a line go on after the format ends.</summary>
    public static NginxLogFormat Compile(string name, string text, bool prefix = false)
    {
        var segments = new List<Segment>();
        var literal = new System.Text.StringBuilder();
        var i = 0;
        while (i < text.Length && segments.Count < 256)
        {
            if (text[i] != '$')
            {
                literal.Append(text[i++]);
                continue;
            }

            var braced = i + 1 < text.Length && text[i + 1] == '{';
            var start = i + (braced ? 2 : 1);
            var end = start;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
            {
                end++;
            }

            if (end == start || (braced && (end >= text.Length || text[end] != '}')))
            {
                literal.Append(text[i++]);
                continue;
            }

            if (literal.Length > 0)
            {
                segments.Add(new Segment(literal.ToString(), Field.Literal));
                literal.Clear();
            }

            var variable = text[start..end];
            segments.Add(new Segment(variable, FieldOf(variable)));
            i = braced ? end + 1 : end;
        }

        if (literal.Length > 0)
        {
            segments.Add(new Segment(literal.ToString(), Field.Literal));
        }

        return new NginxLogFormat(name, text, [.. segments], prefix);
    }

    /// <summary>
    /// Matches <paramref name="line"/>; <paramref name="rest"/> is where the format ended (the line's length when it
    /// used the whole line).
    /// </summary>
    public bool TryParse(string line, out NginxAccessEntry entry, out int rest)
    {
        entry = default;
        rest = 0;
        var position = 0;
        DateTimeOffset? time = null;
        string? request = null;
        string? uri = null;
        var status = 0;
        double? requestTime = null;
        double? upstreamTime = null;
        for (var s = 0; s < _segments.Length; s++)
        {
            var segment = _segments[s];
            if (segment.Field == Field.Literal)
            {
                if (string.CompareOrdinal(line, position, segment.Text, 0, segment.Text.Length) != 0)
                {
                    return false;
                }

                position += segment.Text.Length;
                continue;
            }

            var end = ValueEnd(line, position, s, segment.Field);
            if (end < 0)
            {
                return false;
            }

            var value = line.AsSpan(position, end - position);
            switch (segment.Field)
            {
                case Field.TimeLocal:
                    time = ParseTimeLocal(value);
                    if (time is null)
                    {
                        return false;
                    }

                    break;
                case Field.TimeIso8601:
                    time = DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var iso) ? iso : null;
                    break;
                case Field.Msec:
                    time = NginxValues.TryParseSeconds(value, out var epoch) && epoch < 253_402_300_799
                        ? DateTimeOffset.FromUnixTimeMilliseconds((long)(epoch * 1000))
                        : null;
                    break;
                case Field.Request:
                    request = value.ToString();
                    break;
                case Field.RequestUri or Field.Uri:
                    uri ??= value.ToString();
                    break;
                case Field.Status:
                    if (value.Length != 3 || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out status) || status < 100)
                    {
                        return false;
                    }

                    break;
                case Field.RequestTime:
                    requestTime = NginxValues.TryParseSeconds(value, out var seconds) ? seconds : null;
                    break;
                case Field.UpstreamResponseTime:
                    upstreamTime = SumList(value);
                    break;
            }

            position = end;
        }

        if (status == 0 || (!IsPrefix && position != line.Length))
        {
            return false;
        }

        rest = position;
        entry = new NginxAccessEntry(time, request, uri, status, requestTime, upstreamTime);
        return true;
    }

    /// <summary>
    /// Sums a list of upstream times (<c>0.5, 0.1</c>, <c>0.5 : 0.1</c>); null when no part is a number (<c>-</c>).
    /// </summary>
    public static double? SumList(ReadOnlySpan<char> value)
    {
        double? sum = null;
        while (value.Length > 0)
        {
            var separator = value.IndexOfAny(',', ':');
            var part = separator < 0 ? value : value[..separator];
            if (NginxValues.TryParseSeconds(part, out var seconds))
            {
                sum = (sum ?? 0) + seconds;
            }

            value = separator < 0 ? default : value[(separator + 1)..];
        }

        return sum;
    }

    /// <summary>Reads <c>23/Nov/2026:23:45:22 +0000</c>.</summary>
    public static DateTimeOffset? ParseTimeLocal(ReadOnlySpan<char> value)
    {
        if (value.Length != 26 || value[20] != ' ' || (value[21] != '+' && value[21] != '-')
            || !DateTime.TryParseExact(value[..20], "dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            || !int.TryParse(value.Slice(22, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(value.Slice(24, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || hours > 14 || minutes > 59)
        {
            return null;
        }

        var offset = new TimeSpan(hours, minutes, 0) * (value[21] == '-' ? -1 : 1);
        return new DateTimeOffset(local, offset);
    }

    private int ValueEnd(string line, int position, int index, Field field)
    {
        if (index + 1 >= _segments.Length)
        {
            if (!IsPrefix)
            {
                return line.Length;
            }

            var space = line.IndexOf(' ', position);
            return space < 0 ? line.Length : space;
        }

        var next = _segments[index + 1];
        if (next.Field != Field.Literal)
        {
            // Two variables in a row: the first one ends at a space.
            var space = line.IndexOf(' ', position);
            return space < 0 ? line.Length : space;
        }

        var end = line.IndexOf(next.Text, position, StringComparison.Ordinal);
        if (field == Field.UpstreamResponseTime)
        {
            // "0.5, 0.1" and "0.5 : 0.1" hold the literal " " that may follow the variable; go on while the list does.
            var guard = 0;
            while (end > 0 && guard++ < 64
                && (line[end - 1] is ',' or ':' || string.CompareOrdinal(line, end, " : ", 0, 3) == 0))
            {
                var after = line.IndexOf(next.Text, end + Math.Max(1, next.Text.Length), StringComparison.Ordinal);
                if (after < 0)
                {
                    break;
                }

                end = after;
            }
        }

        return end;
    }

    private static Field FieldOf(string variable) => variable switch
    {
        "time_local" => Field.TimeLocal,
        "time_iso8601" => Field.TimeIso8601,
        "msec" => Field.Msec,
        "request" => Field.Request,
        "request_uri" => Field.RequestUri,
        "uri" or "document_uri" => Field.Uri,
        "status" => Field.Status,
        "request_time" => Field.RequestTime,
        "upstream_response_time" => Field.UpstreamResponseTime,
        _ => Field.Other,
    };

    private readonly record struct Segment(string Text, Field Field);
}
