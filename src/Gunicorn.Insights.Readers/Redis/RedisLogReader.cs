using System.Globalization;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Readers.Accumulation;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Redis;

/// <summary>
/// Reads Redis's log (<c>1234:M 23 Nov 2026 23:45:22.123 * message</c>: pid, role <c>M</c>aster/<c>S</c>lave/<c>C</c>hild/
/// Sentinel <c>X</c>, time, level <c>.</c> debug, <c>-</c> verbose, <c>*</c> notice, <c>#</c> warning; the warnings Redis
/// writes from a signal handler, <c>1234:signal-handler (1795488575) Received SIGTERM scheduling shutdown...</c>, with Unix
/// time in seconds; and Redis 2.x's <c>[1234] 23 Nov 23:45:22.123 * message</c>, whose times lack the year and are not
/// kept) into:
/// <list type="bullet">
/// <item>a <see cref="LogSignatureKind.RedisSlowFsync"/> signature for <c>Asynchronous AOF fsync is taking too long (disk
/// is busy?)</c> lines, with times and example lines (no pids: Redis's pid is no Gunicorn worker);</item>
/// <item>the Redis <see cref="SoftwareVersion"/> (<c>Redis version=7.0.15, …</c>, <c>Server started, Redis version
/// 3.2.12</c>, or the start-up banner's <c>Redis 4.0.11 (00000000/0) 64 bit</c>), once per version;</item>
/// <item>a <see cref="Counter"/> <c>redis_log_lines</c> per level (label <c>level</c>) over the time the lines span.</item>
/// </list>
/// Collector wrappers (Docker timestamps, Kubernetes JSON, journald) are removed first; the banner's ASCII art is
/// skipped; any other line that is not a Redis log line is reported and skipped.
/// </summary>
public sealed class RedisLogReader : IArtifactReader
{
    /// <summary>The counter of log lines, labelled by <c>level</c>.</summary>
    public const string LinesCounter = "redis_log_lines";

    private const string SlowFsync = "Asynchronous AOF fsync is taking too long";

    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.RedisLog;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(head);
        var entries = 0;
        var redisWords = 0;
        foreach (var line in head)
        {
            var text = LogEnvelope.Unwrap(line).Text;
            if (TryParse(text, out _))
            {
                entries++;
            }

            redisWords += text.Contains("Redis", StringComparison.Ordinal) || text.Contains(" AOF ", StringComparison.Ordinal)
                || text.Contains("RDB", StringComparison.Ordinal) ? 1 : 0;
        }

        if (entries == 0)
        {
            return 0;
        }

        var named = fileName.Contains("redis", StringComparison.OrdinalIgnoreCase) ? 20 : 0;
        return Math.Min(100, 50 + Math.Min(entries, 6) * 5 + Math.Min(redisWords, 2) * 5 + named);
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var state = new State(context);
        source.ForEachLine(context, (bytes, number) => state.Line(context.Text(bytes, number), number));
        state.Finish();
    }

    /// <summary>One parsed line.</summary>
    private readonly record struct Entry(DateTimeOffset? Time, bool HasYear, string Level, string Message);

    /// <summary>
    /// Parses <c>1234:M 23 Nov 2026 23:45:22.123 * message</c>, <c>1234:signal-handler (1795488575) message</c> or
    /// <c>[1234] 23 Nov 23:45:22.123 * message</c>.
    /// </summary>
    private static bool TryParse(string line, out Entry entry)
    {
        entry = default;
        var rest = line.AsSpan();
        if (TryParseSignalHandler(rest, out entry))
        {
            return true;
        }

        bool hasYear;
        if (rest.Length > 0 && rest[0] == '[')
        {
            var close = rest.IndexOf(']');
            if (close < 2 || !IsDigits(rest[1..close]) || close + 1 >= rest.Length || rest[close + 1] != ' ')
            {
                return false;
            }

            rest = rest[(close + 2)..];
            hasYear = false;
        }
        else
        {
            var colon = rest.IndexOf(':');
            if (colon < 1 || !IsDigits(rest[..colon]) || rest.Length < colon + 3 || rest[colon + 1] is not ('M' or 'S' or 'C' or 'X')
                || rest[colon + 2] != ' ')
            {
                return false;
            }

            rest = rest[(colon + 3)..];
            hasYear = true;
        }

        // "23 Nov 2026 23:45:22.123 " (with year) or "23 Nov 23:45:22.123 " (2.x); milliseconds are optional in old versions.
        var levelAt = -1;
        for (var i = 0; i + 1 < rest.Length && i < 30; i++)
        {
            if (rest[i] == ' ' && i + 2 <= rest.Length && rest[i + 1] is '.' or '-' or '*' or '#' && (i + 2 == rest.Length || rest[i + 2] == ' '))
            {
                levelAt = i + 1;
                break;
            }
        }

        if (levelAt < 0)
        {
            return false;
        }

        var stamp = rest[..(levelAt - 1)];
        string[] formats = hasYear ? ["dd MMM yyyy HH:mm:ss.fff", "d MMM yyyy HH:mm:ss.fff", "dd MMM yyyy HH:mm:ss"] : ["dd MMM HH:mm:ss.fff", "d MMM HH:mm:ss.fff", "dd MMM HH:mm:ss"];
        if (!DateTime.TryParseExact(stamp, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return false;
        }

        var level = rest[levelAt] switch
        {
            '.' => "debug",
            '-' => "verbose",
            '*' => "notice",
            _ => "warning",
        };
        var message = levelAt + 2 <= rest.Length ? rest[Math.Min(rest.Length, levelAt + 2)..].ToString() : "";
        entry = new Entry(hasYear ? new DateTimeOffset(time, TimeSpan.Zero) : null, hasYear, level, message);
        return true;
    }

    /// <summary>
    /// Parses a line Redis writes from a signal handler (on SIGTERM or SIGINT), which has no role and no formatted time:
    /// <c>1234:signal-handler (1795488575) Received SIGTERM scheduling shutdown...</c>; Redis logs these as warnings.
    /// </summary>
    private static bool TryParseSignalHandler(ReadOnlySpan<char> line, out Entry entry)
    {
        const string Marker = ":signal-handler (";
        const long LatestUnixSeconds = 253_402_300_799;
        entry = default;
        var colon = line.IndexOf(':');
        if (colon < 1 || !IsDigits(line[..colon]) || !line[colon..].StartsWith(Marker, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = line[(colon + Marker.Length)..];
        var close = rest.IndexOf(')');
        if (close < 1 || !long.TryParse(rest[..close], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > LatestUnixSeconds)
        {
            return false;
        }

        var message = close + 2 <= rest.Length ? rest[(close + 2)..].ToString() : "";
        entry = new Entry(DateTimeOffset.FromUnixTimeSeconds(seconds), true, "warning", message);
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

    private sealed class State(ReadContext context)
    {
        private const int MaximumVersions = 10;
        private static readonly string[] Levels = ["debug", "verbose", "notice", "warning"];

        private readonly LogSignatureAccumulator _slowFsyncs = new(LogSignatureKind.RedisSlowFsync);
        private readonly Dictionary<string, LevelCount> _levels = new(StringComparer.Ordinal);
        private readonly HashSet<Version> _versions = [];
        private bool _reportedNoYear;

        public void Line(string raw, long number)
        {
            var text = raw;
            if (!TryParse(text, out var entry))
            {
                var (unwrapped, _) = LogEnvelope.Unwrap(raw);
                text = unwrapped;
                if (!TryParse(text, out entry))
                {
                    Other(text, number);
                    return;
                }
            }

            if (entry.Time is { } time)
            {
                context.SawTimestamp(time);
            }
            else if (!entry.HasYear && !_reportedNoYear)
            {
                _reportedNoYear = true;
                context.Warn(number, "Redis 2.x log lines carry no year; their times were not kept");
            }

            if (!_levels.TryGetValue(entry.Level, out var count))
            {
                count = new LevelCount(number);
                _levels[entry.Level] = count;
            }

            count.See(entry.Time);
            if (entry.Message.StartsWith(SlowFsync, StringComparison.Ordinal))
            {
                _slowFsyncs.Add(context.At(number), SecretRedactor.Redact(text), entry.Time, pid: null);
            }
            else
            {
                Version(entry.Message, number, entry.Time);
            }
        }

        public void Finish()
        {
            if (_slowFsyncs.ToSignature() is { } signature)
            {
                context.Add(signature);
            }

            foreach (var level in Levels)
            {
                if (_levels.TryGetValue(level, out var count))
                {
                    context.Add(new Counter(LinesCounter, count.Count, context.At(count.FirstLine))
                    {
                        Labels = new Dictionary<string, string> { ["level"] = level },
                        Timestamp = count.First,
                        Window = count.First is { } first && count.Last is { } last ? last - first : null,
                    });
                }
            }
        }

        private void Other(string text, long number)
        {
            var trimmed = text.AsSpan().Trim();
            if (trimmed.Length == 0)
            {
                return;
            }

            // The start-up banner: ASCII art around "Redis 4.0.11 (00000000/0) 64 bit", "Port: 6379", "PID: 1".
            var art = trimmed.Contains("_.-", StringComparison.Ordinal) || trimmed.Contains("-._", StringComparison.Ordinal)
                || trimmed.Contains("`-", StringComparison.Ordinal) || trimmed[0] is '|' or '(' or '`' or '_' or '.' or '-';
            if (art)
            {
                Version(text, number, null);
                return;
            }

            context.Warn(number, "not a Redis log line (pid:role DD Mon YYYY HH:MM:SS.mmm level message); skipped");
        }

        private void Version(string message, long number, DateTimeOffset? time)
        {
            if (_versions.Count >= MaximumVersions || !message.Contains("Redis", StringComparison.Ordinal))
            {
                return;
            }

            var text = After(message, "Redis version=") ?? After(message, "Redis version ") ?? Banner(message);
            if (text is null)
            {
                return;
            }

            var end = 0;
            while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
            {
                end++;
            }

            if (System.Version.TryParse(text.AsSpan(0, end), out var version) && _versions.Add(version))
            {
                context.Add(new SoftwareVersion("redis", version, context.At(number)) { Timestamp = time });
            }
        }

        /// <summary>The banner's <c>Redis 4.0.11 (00000000/0) 64 bit</c> or <c>Redis Community Edition 7.4.0 (…) 64 bit</c>.</summary>
        private static string? Banner(string text)
        {
            if (!text.Contains(" bit", StringComparison.Ordinal))
            {
                return null;
            }

            var rest = After(text, "Redis Community Edition ") ?? After(text, "Redis ");
            return rest is not null && rest.Length > 0 && char.IsAsciiDigit(rest[0]) ? rest : null;
        }

        private static string? After(string text, string marker)
        {
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            return at < 0 ? null : text[(at + marker.Length)..];
        }
    }

    private sealed class LevelCount(long firstLine)
    {
        public long FirstLine { get; } = firstLine;

        public long Count { get; private set; }

        public DateTimeOffset? First { get; private set; }

        public DateTimeOffset? Last { get; private set; }

        public void See(DateTimeOffset? time)
        {
            Count++;
            if (time is not { } t)
            {
                return;
            }

            if (First is null || t < First)
            {
                First = t;
            }

            if (Last is null || t > Last)
            {
                Last = t;
            }
        }
    }
}
