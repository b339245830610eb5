using System.Globalization;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.Accumulation;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Nginx;

/// <summary>
/// Reads nginx's log lines, error-log and access-log alike, since a container's output (<c>docker logs</c>, a
/// Kubernetes pod log) interleaves both: error lines become upstream signatures, line counts per level and the nginx
/// version; access lines become traffic summaries, <c>$request_time</c> / <c>$upstream_response_time</c> histograms and
/// 500/502/504 signatures. Collector wrappers (Docker timestamps, Kubernetes JSON, journald) are removed first.
/// </summary>
internal sealed class NginxLogState
{
    /// <summary>The metric name of the <c>$request_time</c> histogram.</summary>
    public const string RequestTimeMetric = "nginx_request_time_seconds";

    /// <summary>The metric name of the <c>$upstream_response_time</c> histogram.</summary>
    public const string UpstreamResponseTimeMetric = "nginx_upstream_response_time_seconds";

    /// <summary>The counter of error-log lines, labelled by <c>level</c>.</summary>
    public const string ErrorLogLinesCounter = "nginx_error_log_lines";

    private const int MaximumVersions = 10;
    private static readonly string[] Levels = ["debug", "info", "notice", "warn", "error", "crit", "alert", "emerg"];

    private readonly ReadContext _context;
    private readonly bool _accessLog;
    private readonly NginxLogFormat[] _formats;
    private static readonly NginxLogFormat Prefix = NginxLogFormat.Compile("combined", NginxLogFormat.CombinedPrefix, prefix: true);
    private readonly Dictionary<LogSignatureKind, LogSignatureAccumulator> _signatures = [];
    private readonly Dictionary<string, LevelCount> _levels = new(StringComparer.Ordinal);
    private readonly HashSet<Version> _versions = [];
    private readonly RequestTrafficAccumulator _traffic = new("nginx");
    private readonly DurationDistributionAccumulator _requestTimes = new();
    private readonly DurationDistributionAccumulator _upstreamTimes = new();
    private NginxLogFormat? _current;
    private long _requestTimeLine;
    private long _upstreamTimeLine;
    private long _otherKindLines;

    /// <summary>Creates the state; <paramref name="accessLog"/> says which kind the input was taken for (for messages).</summary>
    public NginxLogState(ReadContext context, bool accessLog)
    {
        _context = context;
        _accessLog = accessLog;
        _formats = KnownFormats(context);
    }

    /// <summary>Reads one line.</summary>
    public void Line(string raw, long number)
    {
        if (raw.Length == 0)
        {
            return;
        }

        if (TryLine(raw, number, null))
        {
            return;
        }

        var (text, collectorTime) = LogEnvelope.Unwrap(raw);
        if (!ReferenceEquals(text, raw) && text.Length > 0 && TryLine(text, number, collectorTime))
        {
            return;
        }

        if (text.Length == 0 || text.StartsWith("/docker-entrypoint", StringComparison.Ordinal))
        {
            // The official image's start-up script talks before nginx does.
            return;
        }

        _context.Warn(number, _accessLog
            ? "not an nginx access-log line in the combined format or a log_format of the batch's nginx configuration; skipped"
            : "not an nginx error-log line (YYYY/MM/DD HH:MM:SS [level] pid#tid: message); skipped");
    }

    /// <summary>Adds what was read to the context.</summary>
    public void Finish()
    {
        if (_otherKindLines > 0)
        {
            _context.Warn(0, _accessLog
                ? $"{_otherKindLines} nginx error-log line(s) among the access-log lines were read as error-log lines"
                : $"{_otherKindLines} nginx access-log line(s) among the error-log lines were read as access-log lines");
        }

        _traffic.Emit(_context);
        if (_requestTimes.ToHistogram(RequestTimeMetric, _context.At(_requestTimeLine)) is { } requestTimes)
        {
            _context.Add(requestTimes);
        }

        if (_upstreamTimes.ToHistogram(UpstreamResponseTimeMetric, _context.At(_upstreamTimeLine)) is { } upstreamTimes)
        {
            _context.Add(upstreamTimes);
        }

        foreach (var accumulator in _signatures.Values.OrderBy(a => a.Kind))
        {
            if (accumulator.ToSignature() is { } signature)
            {
                _context.Add(signature);
            }
        }

        foreach (var level in Levels)
        {
            if (_levels.TryGetValue(level, out var count))
            {
                _context.Add(new Counter(ErrorLogLinesCounter, count.Count, _context.At(count.FirstLine))
                {
                    Labels = new Dictionary<string, string> { ["level"] = level },
                    Timestamp = count.First,
                    Window = count.First is { } first && count.Last is { } last ? last - first : null,
                });
            }
        }
    }

    /// <summary>True when <paramref name="line"/> starts like an nginx error-log line.</summary>
    public static bool LooksLikeErrorLine(string line) => TryErrorLine(line, out _, out _, out _);

    /// <summary>True when <paramref name="line"/> parses with the prefix of the combined format.</summary>
    public static bool LooksLikeAccessLine(string line, out bool timings)
    {
        timings = false;
        if (!Prefix.TryParse(line, out _, out var rest))
        {
            return false;
        }

        // nginx logs times with exactly three decimals; Gunicorn's rt=%(L)s has six and its busy= field is its own.
        var trailing = line.AsSpan(rest);
        var (requestTime, upstream) = TrailingTimings.Scan(trailing);
        timings = (requestTime is not null || upstream is not null) && HasMillisecondDecimals(trailing)
            && !trailing.Contains("busy=", StringComparison.Ordinal);
        return true;
    }

    /// <summary>True when some number in <paramref name="text"/> has exactly three decimals, as nginx's times do.</summary>
    private static bool HasMillisecondDecimals(ReadOnlySpan<char> text)
    {
        for (var dot = text.IndexOf('.'); dot >= 0; dot = text.IndexOf('.'))
        {
            var digits = 0;
            while (dot + 1 + digits < text.Length && char.IsAsciiDigit(text[dot + 1 + digits]))
            {
                digits++;
            }

            var end = dot + 1 + digits;
            if (digits == 3 && dot > 0 && char.IsAsciiDigit(text[dot - 1]) && (end == text.Length || text[end] is ' ' or '"' or ','))
            {
                return true;
            }

            text = text[(dot + 1 + digits)..];
        }

        return false;
    }

    private bool TryLine(string text, long number, DateTimeOffset? collectorTime)
    {
        if (TryErrorLine(text, out var time, out var level, out var message))
        {
            if (_accessLog)
            {
                _otherKindLines++;
            }

            ErrorLine(text, number, time, level, message);
            return true;
        }

        if (TryAccess(text, out var entry))
        {
            if (!_accessLog)
            {
                _otherKindLines++;
            }

            AccessLine(text, number, entry.Time is null && collectorTime is not null ? entry with { Time = collectorTime } : entry);
            return true;
        }

        return false;
    }

    private void ErrorLine(string text, long number, DateTimeOffset time, string level, string message)
    {
        _context.SawTimestamp(time);
        if (!_levels.TryGetValue(level, out var count))
        {
            count = new LevelCount(number);
            _levels[level] = count;
        }

        count.See(time);
        if (Classify(message) is { } kind)
        {
            Signature(kind, text, number, time);
        }
        else if (message.StartsWith("nginx/", StringComparison.Ordinal) && _versions.Count < MaximumVersions)
        {
            var end = 6;
            while (end < message.Length && (char.IsAsciiDigit(message[end]) || message[end] == '.'))
            {
                end++;
            }

            if (Version.TryParse(message.AsSpan(6, end - 6), out var version) && _versions.Add(version))
            {
                _context.Add(new SoftwareVersion("nginx", version, _context.At(number)) { Timestamp = time });
            }
        }
    }

    private void AccessLine(string text, long number, NginxAccessEntry entry)
    {
        if (entry.Time is { } time)
        {
            _context.SawTimestamp(time);
        }

        var target = entry.Uri ?? RequestTrafficAccumulator.TargetOf(entry.RequestLine);
        _traffic.Add(target, entry.Status, entry.Time, number);
        if (entry.RequestTime is { } requestTime)
        {
            if (_requestTimes.Count == 0)
            {
                _requestTimeLine = number;
            }

            _requestTimes.Add(NginxValues.Seconds(requestTime), entry.Time);
        }

        if (entry.UpstreamResponseTime is { } upstreamTime)
        {
            if (_upstreamTimes.Count == 0)
            {
                _upstreamTimeLine = number;
            }

            _upstreamTimes.Add(NginxValues.Seconds(upstreamTime), entry.Time);
        }

        LogSignatureKind? kind = entry.Status switch
        {
            500 => LogSignatureKind.Http500,
            502 => LogSignatureKind.Http502,
            504 => LogSignatureKind.Http504,
            _ => null,
        };
        if (kind is { } status)
        {
            Signature(status, text, number, entry.Time);
        }
    }

    private bool TryAccess(string text, out NginxAccessEntry entry)
    {
        if (_current is not null && Parse(_current, text, out entry, out var exact) && (exact || _formats.Length == 1))
        {
            return true;
        }

        NginxAccessEntry? lenient = null;
        NginxLogFormat? lenientFormat = null;
        foreach (var format in _formats)
        {
            if (ReferenceEquals(format, _current) || !Parse(format, text, out var candidate, out exact))
            {
                continue;
            }

            if (exact)
            {
                _current = format;
                entry = candidate;
                return true;
            }

            if (lenient is null)
            {
                lenient = candidate;
                lenientFormat = format;
            }
        }

        if (_current is not null && Parse(_current, text, out entry, out _))
        {
            return true;
        }

        if (lenient is { } found)
        {
            _current = lenientFormat;
            entry = found;
            return true;
        }

        entry = default;
        return false;
    }

    /// <summary>Parses with <paramref name="format"/>; the built-in prefix format scans the rest of the line for timings.</summary>
    private bool Parse(NginxLogFormat format, string text, out NginxAccessEntry entry, out bool exact)
    {
        exact = false;
        if (!format.TryParse(text, out entry, out var rest))
        {
            return false;
        }

        if (!format.IsPrefix)
        {
            exact = true;
            return true;
        }

        // The built-in prefix is the last resort: a log_format of the batch that matches the whole line wins over it.
        var (requestTime, upstream) = TrailingTimings.Scan(text.AsSpan(rest));
        entry = entry with { RequestTime = requestTime, UpstreamResponseTime = upstream };
        return true;
    }

    private NginxLogFormat[] KnownFormats(ReadContext context)
    {
        // log_format parameters (written "log_format NAME") and the format each access_log names for a file of this name.
        var formats = new List<(string Name, NginxLogFormat Format)>();
        var preferred = new List<string>();
        var fileName = Path.GetFileName(context.SourceName);
        foreach (var parameter in context.KnownParameters)
        {
            if (parameter.Scope != ConfigurationScope.Nginx)
            {
                continue;
            }

            if (parameter.Name == "log_format" && parameter.WrittenAs.StartsWith("log_format ", StringComparison.Ordinal))
            {
                var name = parameter.WrittenAs[11..];
                var format = NginxLogFormat.Compile(name, parameter.Value.Text);
                if (format.IsUsable)
                {
                    formats.Add((name, format));
                }
            }
            else if (parameter.Name == "access_log" && parameter.Value.Items.Count >= 2 && SameLog(parameter.Value.Items[0], fileName))
            {
                preferred.Add(parameter.Value.Items[1]);
            }
        }

        var combined = NginxLogFormat.Compile("combined", NginxLogFormat.Combined);
        var ordered = formats.Where(f => preferred.Contains(f.Name)).Select(f => f.Format)
            .Concat(preferred.Contains("combined") ? [combined] : [])
            .Concat(formats.Where(f => !preferred.Contains(f.Name)).Select(f => f.Format))
            .Concat([Prefix]);
        return [.. ordered.Distinct()];
    }

    private static bool SameLog(string configuredPath, string fileName)
    {
        var configured = Path.GetFileName(configuredPath);
        return configured.Length > 0 && fileName.StartsWith(configured, StringComparison.Ordinal);
    }

    private void Signature(LogSignatureKind kind, string text, long number, DateTimeOffset? time)
    {
        if (!_signatures.TryGetValue(kind, out var accumulator))
        {
            accumulator = new LogSignatureAccumulator(kind);
            _signatures[kind] = accumulator;
        }

        accumulator.Add(_context.At(number), SecretRedactor.Redact(text), time, pid: null);
    }

    /// <summary>The signature an error-log message is, if any.</summary>
    private static LogSignatureKind? Classify(string message)
    {
        if (message.Contains("upstream prematurely closed connection", StringComparison.Ordinal)
            || (message.Contains("(104: Connection reset by peer) while reading response header from upstream", StringComparison.Ordinal)))
        {
            return LogSignatureKind.UpstreamPrematurelyClosed;
        }

        if (message.Contains("upstream timed out", StringComparison.Ordinal))
        {
            // A connect timeout is the listen queue not answering (proxy_connect_timeout), not proxy_read_timeout.
            return message.Contains("while connecting to upstream", StringComparison.Ordinal)
                ? LogSignatureKind.UpstreamConnectFailed
                : LogSignatureKind.UpstreamTimedOut;
        }

        if (message.StartsWith("connect() ", StringComparison.Ordinal) && message.Contains(" failed (", StringComparison.Ordinal))
        {
            return LogSignatureKind.UpstreamConnectFailed;
        }

        return null;
    }

    /// <summary>Parses <c>2026/11/23 23:45:22 [error] 31#31: *4 message</c>.</summary>
    private static bool TryErrorLine(string line, out DateTimeOffset time, out string level, out string message)
    {
        time = default;
        level = "";
        message = "";
        if (line.Length < 24 || line[4] != '/' || line[7] != '/' || line[10] != ' ' || line[13] != ':' || line[16] != ':'
            || line[19] != ' ' || line[20] != '[')
        {
            return false;
        }

        if (!DateTime.TryParseExact(line.AsSpan(0, 19), "yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        var close = line.IndexOf(']', 21);
        if (close < 0 || close - 21 > 6)
        {
            return false;
        }

        var levelText = line[21..close];
        var known = Array.IndexOf(Levels, levelText);
        if (known < 0)
        {
            return false;
        }

        // " 31#31: " — pid#thread, then the message (with "*connection " when a connection is involved).
        var rest = line.AsSpan(close + 1).TrimStart(' ');
        var hash = rest.IndexOf('#');
        var colon = rest.IndexOf(": ", StringComparison.Ordinal);
        if (hash <= 0 || colon <= hash || !IsDigits(rest[..hash]) || !IsDigits(rest[(hash + 1)..colon]))
        {
            return false;
        }

        rest = rest[(colon + 2)..];
        if (rest.Length > 1 && rest[0] == '*')
        {
            var space = rest.IndexOf(' ');
            if (space > 1 && IsDigits(rest[1..space]))
            {
                rest = rest[(space + 1)..];
            }
        }

        // nginx writes local time without a zone; it is taken as UTC.
        time = new DateTimeOffset(local, TimeSpan.Zero);
        level = Levels[known];
        message = rest.ToString();
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        if (text.Length == 0 || text.Length > 10)
        {
            return false;
        }

        foreach (var ch in text)
        {
            if (!char.IsAsciiDigit(ch))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class LevelCount(long firstLine)
    {
        public long FirstLine { get; } = firstLine;

        public long Count { get; private set; }

        public DateTimeOffset? First { get; private set; }

        public DateTimeOffset? Last { get; private set; }

        public void See(DateTimeOffset time)
        {
            Count++;
            if (First is null || time < First)
            {
                First = time;
            }

            if (Last is null || time > Last)
            {
                Last = time;
            }
        }
    }
}
