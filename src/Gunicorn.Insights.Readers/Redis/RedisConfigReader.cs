using System.Globalization;
using System.Text;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Redis;

/// <summary>
/// Reads <c>redis.conf</c> into <see cref="ConfigurationScope.Redis"/> parameters for the directives that matter to a
/// Gunicorn diagnosis (names lower-cased, as Redis compares them without case; arguments split as Redis does, with
/// <c>"…"</c> and <c>'…'</c> quoting):
/// <c>appendonly</c>, <c>no-appendfsync-on-rewrite</c> (flags); <c>appendfsync</c> (<c>always</c>, <c>everysec</c> or
/// <c>no</c>), <c>maxmemory-policy</c>, <c>unixsocket</c>, <c>loglevel</c> (text); <c>maxmemory</c> (integer bytes:
/// <c>k</c>/<c>m</c>/<c>g</c> are powers of 1000, <c>kb</c>/<c>mb</c>/<c>gb</c> of 1024, as Redis reads them);
/// <c>maxclients</c>, <c>port</c>, <c>tcp-backlog</c>, <c>io-threads</c> (integers); <c>timeout</c>, <c>tcp-keepalive</c>
/// (durations in seconds); <c>bind</c> (list); <c>save</c> (a list of <c>seconds changes</c> points, one parameter per
/// line holding the points in force after it: lines add points, <c>save ""</c> clears them); <c>include</c> (text; not
/// followed); <c>requirepass</c> and <c>masterauth</c> (always <c>***</c>).
/// </summary>
/// <remarks>
/// Redis has hundreds of directives; the others are ignored without a word. A bad value of a directive above, or an
/// unbalanced quote, is reported with its line and skipped.
/// </remarks>
public sealed class RedisConfigReader : IArtifactReader
{
    private static readonly string[] CommonDirectives =
    [
        "appendonly", "appendfsync", "save", "maxmemory", "maxmemory-policy", "requirepass", "bind", "port", "daemonize",
        "databases", "dbfilename", "dir", "loglevel", "logfile", "protected-mode", "tcp-backlog", "tcp-keepalive", "timeout",
        "supervised", "pidfile", "rdbcompression", "appendfilename", "no-appendfsync-on-rewrite", "auto-aof-rewrite-percentage",
        "stop-writes-on-bgsave-error", "maxclients", "unixsocket", "rdbchecksum", "lazyfree-lazy-eviction", "aof-use-rdb-preamble",
        "slowlog-log-slower-than", "hz", "replica-read-only", "masterauth", "io-threads", "latency-monitor-threshold",
    ];

    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.RedisConfig;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(head);
        if (fileName.EndsWith(".py", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".log", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        var known = 0;
        var foreign = 0;
        foreach (var raw in head)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            // nginx ends directives with ';' and opens blocks; INI and YAML have '=', '[' and ':'.
            if (line.EndsWith(';') || line.EndsWith('{') || line.EndsWith('}') || line[0] == '[' || line.Contains('='))
            {
                foreign++;
                continue;
            }

            var space = line.IndexOfAny([' ', '\t']);
            var name = (space < 0 ? line : line[..space]).ToLowerInvariant();
            if (space > 0 && Array.IndexOf(CommonDirectives, name) >= 0)
            {
                known++;
            }
        }

        var named = fileName.Contains("redis", StringComparison.OrdinalIgnoreCase);
        if (known == 0 || foreign > known)
        {
            return named && fileName.EndsWith(".conf", StringComparison.OrdinalIgnoreCase) && foreign == 0 && known > 0 ? 50 : 0;
        }

        return Math.Min(100, 40 + known * 8 + (named ? 30 : 0));
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var state = new State(context);
        source.ForEachLine(context, (bytes, number) => state.Line(context.Text(bytes, number), number));
    }

    private sealed class State(ReadContext context)
    {
        private const int MaximumSavePoints = 64;
        private readonly List<string> _savePoints = [];

        public void Line(string text, long number)
        {
            var trimmed = text.AsSpan().Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                return;
            }

            if (!TrySplit(trimmed, out var words))
            {
                context.Warn(number, "unbalanced quotes in a Redis directive; skipped");
                return;
            }

            if (words.Count == 0)
            {
                return;
            }

            var written = words[0];
            var name = written.ToLowerInvariant();
            switch (name)
            {
                case "appendonly" or "no-appendfsync-on-rewrite":
                    if (One(words, number) is { } flag)
                    {
                        if (YesNo(flag) is { } value)
                        {
                            Add(name, SettingValue.Boolean(value), written, number);
                        }
                        else
                        {
                            context.Warn(number, $"{name} must be yes or no, not '{Shorten(flag)}'; skipped");
                        }
                    }

                    break;
                case "appendfsync":
                    if (One(words, number) is { } policy)
                    {
                        var lower = policy.ToLowerInvariant();
                        if (lower is "always" or "everysec" or "no")
                        {
                            Add(name, SettingValue.FromText(lower), written, number);
                        }
                        else
                        {
                            context.Warn(number, $"appendfsync must be always, everysec or no, not '{Shorten(policy)}'; skipped");
                        }
                    }

                    break;
                case "maxmemory-policy" or "loglevel" or "unixsocket":
                    if (One(words, number) is { } word)
                    {
                        Add(name, SettingValue.FromText(SecretRedactor.Redact(word)), written, number);
                    }

                    break;
                case "maxmemory":
                    if (One(words, number) is { } size)
                    {
                        if (TryParseMemory(size, out var bytes))
                        {
                            Add(name, SettingValue.Integer(bytes), written, number);
                        }
                        else
                        {
                            context.Warn(number, $"maxmemory '{Shorten(size)}' is not a Redis memory size (e.g. 2gb, 512mb); skipped");
                        }
                    }

                    break;
                case "maxclients" or "port" or "tcp-backlog" or "io-threads":
                    if (One(words, number) is { } count)
                    {
                        if (long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var integer))
                        {
                            Add(name, SettingValue.Integer(integer), written, number);
                        }
                        else
                        {
                            context.Warn(number, $"{name} '{Shorten(count)}' is not a whole number; skipped");
                        }
                    }

                    break;
                case "timeout" or "tcp-keepalive":
                    if (One(words, number) is { } seconds)
                    {
                        if (long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= int.MaxValue)
                        {
                            Add(name, SettingValue.Seconds(value), written, number);
                        }
                        else
                        {
                            context.Warn(number, $"{name} '{Shorten(seconds)}' is not a number of seconds; skipped");
                        }
                    }

                    break;
                case "bind":
                    if (words.Count < 2)
                    {
                        context.Warn(number, "bind needs at least one address; skipped");
                    }
                    else
                    {
                        Add(name, SettingValue.List(words.Skip(1)), written, number);
                    }

                    break;
                case "save":
                    Save(words, written, number);
                    break;
                case "include":
                    if (One(words, number) is { } path)
                    {
                        Add(name, SettingValue.FromText(path), written, number);
                    }

                    break;
                case "requirepass" or "masterauth":
                    if (One(words, number) is not null)
                    {
                        Add(name, SettingValue.FromText(SecretRedactor.Mask), written, number);
                    }

                    break;
            }
        }

        private void Save(List<string> words, string written, long number)
        {
            if (words.Count == 2 && words[1].Length == 0)
            {
                _savePoints.Clear();
                Add("save", SettingValue.List([]), written, number);
                return;
            }

            if (words.Count < 3 || words.Count % 2 == 0)
            {
                context.Warn(number, "save takes pairs of <seconds> <changes> (or \"\" to disable snapshots); skipped");
                return;
            }

            var points = new List<string>();
            for (var i = 1; i + 1 < words.Count; i += 2)
            {
                if (!long.TryParse(words[i], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                    || !long.TryParse(words[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var changes))
                {
                    context.Warn(number, $"save point '{Shorten(words[i])} {Shorten(words[i + 1])}' is not two whole numbers; the line was skipped");
                    return;
                }

                points.Add(string.Create(CultureInfo.InvariantCulture, $"{seconds} {changes}"));
            }

            foreach (var point in points)
            {
                if (_savePoints.Count < MaximumSavePoints)
                {
                    _savePoints.Add(point);
                }
            }

            Add("save", SettingValue.List(_savePoints), written, number);
        }

        private string? One(List<string> words, long number)
        {
            if (words.Count == 2)
            {
                return words[1];
            }

            context.Warn(number, $"{words[0]} takes one value, got {words.Count - 1}; skipped");
            return null;
        }

        private void Add(string name, SettingValue value, string written, long number) =>
            context.Add(new ConfigParameter(ConfigurationScope.Redis, name, value, SettingOrigin.ConfigurationFile, context.At(number))
            {
                WrittenAs = written.Length > 100 ? written[..100] : written,
            });

        private static bool? YesNo(string text) => text.ToLowerInvariant() switch
        {
            "yes" => true,
            "no" => false,
            _ => null,
        };

        /// <summary>Redis's memtoull: 1k = 1000, 1kb = 1024, 1m = 1000², 1mb = 1024², 1g = 1000³, 1gb = 1024³, case-insensitive.</summary>
        private static bool TryParseMemory(string text, out long bytes)
        {
            bytes = 0;
            var lower = text.ToLowerInvariant();
            var digits = 0;
            while (digits < lower.Length && char.IsAsciiDigit(lower[digits]))
            {
                digits++;
            }

            long multiplier = lower[digits..] switch
            {
                "" or "b" => 1,
                "k" => 1000,
                "kb" => 1024,
                "m" => 1000 * 1000,
                "mb" => 1024 * 1024,
                "g" => 1000L * 1000 * 1000,
                "gb" => 1024L * 1024 * 1024,
                _ => 0,
            };
            if (digits == 0 || multiplier == 0 || !long.TryParse(lower.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                || number > long.MaxValue / multiplier)
            {
                return false;
            }

            bytes = number * multiplier;
            return true;
        }

        /// <summary>Splits arguments as Redis's sdssplitargs does: white space separates, "…" (with \n \t \" \\ \xHH) and '…' quote.</summary>
        private static bool TrySplit(ReadOnlySpan<char> line, out List<string> words)
        {
            words = [];
            var i = 0;
            var token = new StringBuilder();
            while (i < line.Length)
            {
                while (i < line.Length && char.IsWhiteSpace(line[i]))
                {
                    i++;
                }

                if (i >= line.Length)
                {
                    break;
                }

                token.Clear();
                if (line[i] is '"' or '\'')
                {
                    var quote = line[i++];
                    var closed = false;
                    while (i < line.Length)
                    {
                        var ch = line[i];
                        if (quote == '"' && ch == '\\' && i + 1 < line.Length)
                        {
                            var next = line[i + 1];
                            if (next == 'x' && i + 3 < line.Length && IsHex(line[i + 2]) && IsHex(line[i + 3]))
                            {
                                token.Append((char)int.Parse(line.Slice(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                                i += 4;
                                continue;
                            }

                            token.Append(next switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'b' => '\b', 'a' => '\a', _ => next });
                            i += 2;
                            continue;
                        }

                        if (quote == '\'' && ch == '\\' && i + 1 < line.Length && line[i + 1] == '\'')
                        {
                            token.Append('\'');
                            i += 2;
                            continue;
                        }

                        if (ch == quote)
                        {
                            i++;
                            closed = true;
                            break;
                        }

                        token.Append(ch);
                        i++;
                    }

                    // A closing quote must be followed by a space or the end of the line.
                    if (!closed || (i < line.Length && !char.IsWhiteSpace(line[i])))
                    {
                        return false;
                    }
                }
                else
                {
                    while (i < line.Length && !char.IsWhiteSpace(line[i]))
                    {
                        token.Append(line[i++]);
                    }
                }

                words.Add(token.ToString());
            }

            return true;
        }

        private static bool IsHex(char ch) => char.IsAsciiHexDigit(ch);

        private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
    }
}
