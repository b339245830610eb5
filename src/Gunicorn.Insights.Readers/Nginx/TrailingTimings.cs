namespace Gunicorn.Insights.Readers.Nginx;

/// <summary>
/// Finds <c>$request_time</c> and <c>$upstream_response_time</c> in what follows the combined prefix of an access-log
/// line whose <c>log_format</c> is not known, in the common spellings: <c>rt=0.123 urt="0.120"</c> (and
/// <c>request_time=</c>, <c>upstream_response_time=</c>, <c>upstream_time=</c>), or bare decimal numbers in the order
/// <c>$request_time $upstream_response_time</c> (quoted fields such as referrer and user agent are skipped; a bare
/// upstream list <c>0.5, 0.1</c> or <c>0.5 : 0.1</c> is summed). nginx logs times with millisecond decimals, so a bare
/// number without a decimal point (a byte count, a port) is not taken for a time. Since a request's time includes its
/// upstream's, two bare numbers in the other order are swapped.
/// </summary>
internal static class TrailingTimings
{
    private const int MaximumTokens = 64;

    private static readonly string[] RequestKeys = ["rt", "request_time", "req_time", "reqtime", "rtime", "request_duration"];
    private static readonly string[] UpstreamKeys = ["urt", "upstream_response_time", "upstream_time", "ups_time", "uprt", "upstream_rt"];

    /// <summary>The request and upstream times found, in seconds.</summary>
    public static (double? RequestTime, double? UpstreamResponseTime) Scan(ReadOnlySpan<char> rest)
    {
        double? request = null;
        double? upstream = null;
        double? firstBare = null;
        double? secondBare = null;
        var bareCount = 0;
        var i = 0;
        for (var tokens = 0; tokens < MaximumTokens; tokens++)
        {
            while (i < rest.Length && rest[i] == ' ')
            {
                i++;
            }

            if (i >= rest.Length)
            {
                break;
            }

            if (rest[i] == '"')
            {
                var close = rest[(i + 1)..].IndexOf('"');
                i = close < 0 ? rest.Length : i + close + 2;
                continue;
            }

            var keyEnd = i;
            while (keyEnd < rest.Length && (char.IsAsciiLetterOrDigit(rest[keyEnd]) || rest[keyEnd] == '_'))
            {
                keyEnd++;
            }

            if (keyEnd > i && keyEnd < rest.Length && rest[keyEnd] == '=')
            {
                var key = rest[i..keyEnd];
                var (valueStart, valueEnd, next) = Value(rest, keyEnd + 1);
                var value = rest[valueStart..valueEnd];
                i = next;
                if (Matches(key, RequestKeys))
                {
                    request = NginxValues.TryParseSeconds(value, out var seconds) ? seconds : null;
                }
                else if (Matches(key, UpstreamKeys))
                {
                    upstream = NginxLogFormat.SumList(value);
                }

                continue;
            }

            var tokenEnd = BareList(rest, i);
            var token = rest[i..tokenEnd];
            i = tokenEnd;
            if (token.Contains('.') && NginxLogFormat.SumList(token) is { } number)
            {
                if (bareCount == 0)
                {
                    firstBare = number;
                }
                else if (bareCount == 1)
                {
                    secondBare = number;
                }

                bareCount++;
            }
            else if (token is "-" && bareCount == 1)
            {
                // No upstream was asked (a cached or static response).
                bareCount++;
            }
        }

        if (request is null && upstream is null && firstBare is { } first)
        {
            if (secondBare is { } second && second > first)
            {
                return (second, first);
            }

            return (first, secondBare);
        }

        return (request ?? (upstream is null ? firstBare : null), upstream);
    }

    private static (int Start, int End, int Next) Value(ReadOnlySpan<char> rest, int start)
    {
        if (start < rest.Length && rest[start] == '"')
        {
            var close = rest[(start + 1)..].IndexOf('"');
            return close < 0 ? (start + 1, rest.Length, rest.Length) : (start + 1, start + 1 + close, start + close + 2);
        }

        var end = start < rest.Length ? BareList(rest, start) : start;
        return (start, end, end);
    }

    /// <summary>A bare token, joined with the next ones while it is a list (<c>0.5, 0.1</c>, <c>0.5 : 0.1</c>).</summary>
    private static int BareList(ReadOnlySpan<char> rest, int start)
    {
        var end = TokenEnd(rest, start);
        for (var guard = 0; guard < 16 && end < rest.Length; guard++)
        {
            var continues = rest[end - 1] is ',' or ':' || (end + 2 < rest.Length && rest[end + 1] == ':' && rest[end + 2] == ' ');
            if (!continues)
            {
                break;
            }

            end = TokenEnd(rest, end + 1);
        }

        return end;
    }

    private static int TokenEnd(ReadOnlySpan<char> rest, int start)
    {
        var space = rest[start..].IndexOf(' ');
        return space < 0 ? rest.Length : start + space;
    }

    private static bool Matches(ReadOnlySpan<char> key, string[] names)
    {
        foreach (var name in names)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
