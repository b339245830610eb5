using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Readers.AccessLogs;

/// <summary>
/// A Gunicorn <c>access_log_format</c> compiled once into literal text and atoms, that splits lines written with it
/// without regular expressions: the literal text between two atoms is the delimiter; a field between double quotes
/// may hold spaces and Gunicorn's escaped quotes (<c>\"</c>); the last field runs to the format's closing text at the
/// end of the line; <c>%(t)s</c> is the bracketed <c>[23/Nov/2026:23:45:22 +0000]</c>. Numeric atoms must hold numbers,
/// so a line written with another format does not match.
/// </summary>
public sealed class AccessLogFormat
{
    /// <summary>Gunicorn's default <c>access_log_format</c> (unchanged from 19.x to 26.x).</summary>
    public const string DefaultText = "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"";

    private const int MaximumShownValue = 60;

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>The literal before the first atom, then after each atom.</summary>
    private readonly string[] _literals;

    /// <summary>Per atom: the field is between double quotes in the format.</summary>
    private readonly bool[] _quoted;

    private readonly int _durationIndex;

    private AccessLogFormat(string text, AccessLogAtom[] atoms, string[] literals)
    {
        Text = text;
        Atoms = atoms;
        _literals = literals;
        _quoted = new bool[atoms.Length];
        for (var i = 0; i < atoms.Length; i++)
        {
            _quoted[i] = literals[i].EndsWith('"') && literals[i + 1].StartsWith('"');
        }

        _durationIndex = -1;
        foreach (var kind in new[] { AccessLogAtomKind.DurationMicroseconds, AccessLogAtomKind.DurationDecimalSeconds,
                     AccessLogAtomKind.DurationMilliseconds, AccessLogAtomKind.DurationSeconds })
        {
            _durationIndex = Array.FindIndex(atoms, a => a.Kind == kind);
            if (_durationIndex >= 0)
            {
                break;
            }
        }
    }

    /// <summary>Gunicorn's default format, <see cref="DefaultText"/>.</summary>
    public static AccessLogFormat Default { get; } = Parse(DefaultText);

    /// <summary>The format as written.</summary>
    public string Text { get; }

    /// <summary>The atoms in the order they appear.</summary>
    public IReadOnlyList<AccessLogAtom> Atoms { get; }

    /// <summary>
    /// The duration atom the entries' <see cref="AccessLogEntry.Duration"/> comes from: the most precise one present
    /// (<c>%(D)s</c> µs, <c>%(L)s</c> decimal seconds, <c>%(M)s</c> ms, <c>%(T)s</c> s); null when the format logs no
    /// request time.
    /// </summary>
    public AccessLogAtom? DurationAtom => _durationIndex < 0 ? null : Atoms[_durationIndex];

    /// <summary>Compiles <paramref name="format"/>.</summary>
    /// <exception cref="FormatException">The format is not a valid <c>access_log_format</c>; the message says why.</exception>
    public static AccessLogFormat Parse(string format) =>
        TryParse(format, out var result, out var error) ? result : throw new FormatException(error);

    /// <summary>Compiles <paramref name="format"/>, or says why it is not a valid <c>access_log_format</c>.</summary>
    public static bool TryParse(string format, [NotNullWhen(true)] out AccessLogFormat? result, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(format);
        result = null;
        var atoms = new List<AccessLogAtom>();
        var literals = new List<string>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            if (c != '%')
            {
                literal.Append(c);
                i++;
                continue;
            }

            if (i + 1 >= format.Length)
            {
                error = "a lone '%' ends the format (write %% for a literal percent sign)";
                return false;
            }

            var next = format[i + 1];
            if (next == '%')
            {
                literal.Append('%');
                i += 2;
                continue;
            }

            if (next != '(')
            {
                error = $"'%{next}' at position {i + 1} is not an atom: atoms are written %(name)s, e.g. %(h)s (write %% for a literal percent sign)";
                return false;
            }

            // Python's %-formatting finds the closing parenthesis counting nested ones.
            var depth = 1;
            var j = i + 2;
            while (j < format.Length && depth > 0)
            {
                depth += format[j] == '(' ? 1 : format[j] == ')' ? -1 : 0;
                j++;
            }

            if (depth > 0)
            {
                error = $"the atom '%(' at position {i + 1} is never closed with ')'";
                return false;
            }

            var name = format[(i + 2)..(j - 1)];
            if (j >= format.Length || format[j] != 's')
            {
                var conversion = j >= format.Length ? "nothing" : $"'{format[j]}'";
                error = $"the atom %({name}) is followed by {conversion}: only the string conversion %({name})s is supported "
                    + "(Gunicorn's atom values are strings; widths and flags would pad them)";
                return false;
            }

            literals.Add(literal.ToString());
            literal.Clear();
            atoms.Add(new AccessLogAtom(KindOf(name), name));
            i = j + 1;
        }

        literals.Add(literal.ToString());
        if (atoms.Count == 0)
        {
            error = "the format has no atoms such as %(h)s, so its lines hold nothing to read";
            return false;
        }

        for (var k = 0; k + 1 < atoms.Count; k++)
        {
            if (literals[k + 1].Length == 0 && !SelfDelimiting(atoms[k].Kind))
            {
                error = $"the atoms {atoms[k]} and {atoms[k + 1]} are not separated by any text, so lines cannot be split between them";
                return false;
            }
        }

        result = new AccessLogFormat(format, [.. atoms], [.. literals]);
        error = null;
        return true;
    }

    /// <summary>Splits <paramref name="line"/>; false when it was not written with this format.</summary>
    public bool TryParseLine(string line, [NotNullWhen(true)] out AccessLogEntry? entry) => TryParseLine(line, out entry, out _);

    /// <summary>Splits <paramref name="line"/>, or says where it differs from this format. Never throws for bad content.</summary>
    public bool TryParseLine(string line, [NotNullWhen(true)] out AccessLogEntry? entry, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(line);
        entry = null;
        if (!line.StartsWith(_literals[0], StringComparison.Ordinal))
        {
            problem = $"it does not start with '{_literals[0]}'";
            return false;
        }

        var values = new string[Atoms.Count];
        var position = _literals[0].Length;
        for (var k = 0; k < Atoms.Count; k++)
        {
            var atom = Atoms[k];
            var separator = _literals[k + 1];
            var last = k == Atoms.Count - 1;
            int end;
            if (atom.Kind == AccessLogAtomKind.Time)
            {
                end = position < line.Length && line[position] == '[' ? line.IndexOf(']', position) : -1;
                if (end < 0)
                {
                    problem = $"{atom} should be a bracketed time like [23/Nov/2026:23:45:22 +0000] at column {position + 1}";
                    return false;
                }

                end++;
                var fits = last
                    ? line.Length - end == separator.Length && line.AsSpan(end).SequenceEqual(separator)
                    : line.AsSpan(end).StartsWith(separator, StringComparison.Ordinal);
                if (!fits)
                {
                    problem = $"'{Shorten(separator)}' should follow {atom} at column {end + 1}";
                    return false;
                }
            }
            else if (last)
            {
                end = line.Length - separator.Length;
                if (end < position || !line.AsSpan(end).SequenceEqual(separator))
                {
                    problem = separator.Length == 0 ? $"it ends before {atom}" : $"it does not end with '{Shorten(separator)}' after {atom}";
                    return false;
                }
            }
            else if (separator.Length == 0)
            {
                end = NaturalEnd(line, position, atom.Kind);
            }
            else
            {
                end = _quoted[k] ? IndexOfUnescaped(line, separator, position) : line.IndexOf(separator, position, StringComparison.Ordinal);
                if (end < 0)
                {
                    problem = $"no '{Shorten(separator)}' follows {atom} after column {position + 1}";
                    return false;
                }
            }

            var raw = line.AsSpan(position, end - position);
            values[k] = raw.Contains("\\\"", StringComparison.Ordinal) ? raw.ToString().Replace("\\\"", "\"", StringComparison.Ordinal) : raw.ToString();
            position = end + separator.Length;
        }

        return Build(values, out entry, out problem);
    }

    /// <summary>The literal text before the first atom, then after each atom.</summary>
    internal IReadOnlyList<string> Literals => _literals;

    /// <summary>The index in <see cref="Atoms"/> of <see cref="DurationAtom"/>, or −1.</summary>
    internal int DurationIndex => _durationIndex;

    /// <summary>The index of the atom named <paramref name="name"/> in <see cref="Atoms"/>, or −1.</summary>
    internal int IndexOf(string name)
    {
        for (var i = 0; i < Atoms.Count; i++)
        {
            var atom = Atoms[i];
            if (atom.Name == name || (atom.Key is not null && string.Equals(atom.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The format as written.</summary>
    public override string ToString() => Text;

    /// <summary>Parses Gunicorn's <c>%(t)s</c>, <c>[23/Nov/2026:23:45:22 +0000]</c> (brackets included).</summary>
    internal static bool TryParseTime(ReadOnlySpan<char> text, out DateTimeOffset time)
    {
        time = default;
        // [dd/Mon/yyyy:HH:mm:ss +zzzz]
        if (text.Length != 28 || text[0] != '[' || text[3] != '/' || text[7] != '/' || text[12] != ':' || text[15] != ':'
            || text[18] != ':' || text[21] != ' ' || text[27] != ']' || text[22] is not ('+' or '-'))
        {
            return false;
        }

        var month = Array.IndexOf(Months, text.Slice(4, 3).ToString()) + 1;
        if (month == 0 || !Digits(text.Slice(1, 2), out var day) || !Digits(text.Slice(8, 4), out var year) || !Digits(text.Slice(13, 2), out var hour)
            || !Digits(text.Slice(16, 2), out var minute) || !Digits(text.Slice(19, 2), out var second)
            || !Digits(text.Slice(23, 2), out var offsetHours) || !Digits(text.Slice(25, 2), out var offsetMinutes))
        {
            return false;
        }

        if (year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59
            || offsetHours > 14 || offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > 14 * 60)
        {
            return false;
        }

        var offset = new TimeSpan(offsetHours, offsetMinutes, 0) * (text[22] == '-' ? -1 : 1);
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        time = new DateTimeOffset(local, offset);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        return text.Length > 0;
    }

    private static AccessLogAtomKind KindOf(string name) => name switch
    {
        "h" => AccessLogAtomKind.RemoteAddress,
        "l" => AccessLogAtomKind.Ident,
        "u" => AccessLogAtomKind.User,
        "t" => AccessLogAtomKind.Time,
        "r" => AccessLogAtomKind.RequestLine,
        "m" => AccessLogAtomKind.Method,
        "U" => AccessLogAtomKind.UrlPath,
        "q" => AccessLogAtomKind.QueryString,
        "H" => AccessLogAtomKind.Protocol,
        "s" => AccessLogAtomKind.Status,
        "B" => AccessLogAtomKind.ResponseLength,
        "b" => AccessLogAtomKind.ResponseLengthClf,
        "f" => AccessLogAtomKind.Referrer,
        "a" => AccessLogAtomKind.UserAgent,
        "T" => AccessLogAtomKind.DurationSeconds,
        "M" => AccessLogAtomKind.DurationMilliseconds,
        "D" => AccessLogAtomKind.DurationMicroseconds,
        "L" => AccessLogAtomKind.DurationDecimalSeconds,
        "p" => AccessLogAtomKind.ProcessId,
        { Length: >= 4 } when name[0] == '{' && name[^2] == '}' => name[^1] switch
        {
            'i' => AccessLogAtomKind.RequestHeader,
            'o' => AccessLogAtomKind.ResponseHeader,
            'e' => AccessLogAtomKind.Environment,
            _ => AccessLogAtomKind.Unknown,
        },
        _ => AccessLogAtomKind.Unknown,
    };

    /// <summary>Atoms whose own text shows where they end, so another atom may follow without separator.</summary>
    private static bool SelfDelimiting(AccessLogAtomKind kind) => kind is AccessLogAtomKind.Time or AccessLogAtomKind.ProcessId
        or AccessLogAtomKind.Status or AccessLogAtomKind.ResponseLength or AccessLogAtomKind.ResponseLengthClf
        or AccessLogAtomKind.DurationSeconds or AccessLogAtomKind.DurationMilliseconds or AccessLogAtomKind.DurationMicroseconds
        or AccessLogAtomKind.DurationDecimalSeconds;

    private static int NaturalEnd(string line, int position, AccessLogAtomKind kind)
    {
        if (kind == AccessLogAtomKind.ProcessId)
        {
            var close = position < line.Length && line[position] == '<' ? line.IndexOf('>', position) : -1;
            return close < 0 ? position : close + 1;
        }

        foreach (var word in new[] { "None", "-" })
        {
            if (line.AsSpan(position).StartsWith(word, StringComparison.Ordinal))
            {
                return position + word.Length;
            }
        }

        // A status is three digits; the other numbers run as far as their digits go.
        var limit = kind == AccessLogAtomKind.Status ? Math.Min(line.Length, position + 3) : line.Length;
        var end = position;
        while (end < limit && (char.IsAsciiDigit(line[end]) || line[end] == '.'))
        {
            end++;
        }

        return end;
    }

    /// <summary>The first <paramref name="separator"/> not escaped by a backslash (Gunicorn writes <c>"</c> in values as <c>\"</c>).</summary>
    private static int IndexOfUnescaped(string line, string separator, int from)
    {
        var first = line.IndexOf(separator, from, StringComparison.Ordinal);
        var index = first;
        while (index > from && line[index - 1] == '\\')
        {
            index = index + 1 < line.Length ? line.IndexOf(separator, index + 1, StringComparison.Ordinal) : -1;
        }

        // A value ending in a backslash looks escaped too (Gunicorn does not escape backslashes): take the first then.
        return index < 0 ? first : index;
    }

    private bool Build(string[] values, [NotNullWhen(true)] out AccessLogEntry? entry, [NotNullWhen(false)] out string? problem)
    {
        entry = null;
        string? remote = null, user = null, method = null, target = null, path = null, query = null, protocol = null;
        string? referrer = null, agent = null, urlPath = null, queryString = null, methodAtom = null, protocolAtom = null;
        DateTimeOffset? time = null;
        int? status = null, pid = null;
        ByteSize? length = null;
        TimeSpan? duration = null;
        for (var k = 0; k < values.Length; k++)
        {
            var atom = Atoms[k];
            var value = values[k];
            switch (atom.Kind)
            {
                case AccessLogAtomKind.RemoteAddress:
                    remote = Dash(value);
                    break;
                case AccessLogAtomKind.User:
                    user = Dash(value);
                    break;
                case AccessLogAtomKind.Time:
                    if (!TryParseTime(value, out var parsed))
                    {
                        problem = $"{atom} is '{Shorten(value)}', not a time like [23/Nov/2026:23:45:22 +0000]";
                        return false;
                    }

                    time = parsed;
                    break;
                case AccessLogAtomKind.RequestLine:
                    SplitRequestLine(value, out method, out target, out protocol);
                    break;
                case AccessLogAtomKind.Method:
                    methodAtom = Dash(value);
                    break;
                case AccessLogAtomKind.UrlPath:
                    // An empty PATH_INFO is the root of the application.
                    urlPath = value.Length == 0 ? "/" : Dash(value);
                    break;
                case AccessLogAtomKind.QueryString:
                    queryString = value.Length == 0 ? null : Dash(value);
                    break;
                case AccessLogAtomKind.Protocol:
                    protocolAtom = Dash(value);
                    break;
                case AccessLogAtomKind.Status:
                    if (value.Length != 3 || !Digits(value, out var code) || code < 100)
                    {
                        problem = $"{atom} is '{Shorten(value)}', not an HTTP status";
                        return false;
                    }

                    status = code;
                    break;
                case AccessLogAtomKind.ResponseLength or AccessLogAtomKind.ResponseLengthClf:
                    if (value is not ("-" or "None"))
                    {
                        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
                        {
                            problem = $"{atom} is '{Shorten(value)}', not a byte count";
                            return false;
                        }

                        length ??= new ByteSize(bytes);
                    }

                    break;
                case AccessLogAtomKind.Referrer:
                    referrer = Dash(value);
                    break;
                case AccessLogAtomKind.UserAgent:
                    agent = Dash(value);
                    break;
                case AccessLogAtomKind.DurationSeconds or AccessLogAtomKind.DurationMilliseconds or AccessLogAtomKind.DurationMicroseconds
                    or AccessLogAtomKind.DurationDecimalSeconds:
                    if (!TryDuration(atom.Kind, value, out var requestTime))
                    {
                        problem = $"{atom} is '{Shorten(value)}', not a request time";
                        return false;
                    }

                    if (k == _durationIndex)
                    {
                        duration = requestTime;
                    }

                    break;
                case AccessLogAtomKind.ProcessId:
                    if (value.Length < 3 || value[0] != '<' || value[^1] != '>'
                        || !int.TryParse(value.AsSpan(1, value.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var worker))
                    {
                        problem = $"{atom} is '{Shorten(value)}', not a pid like <1234>";
                        return false;
                    }

                    pid = worker;
                    break;
            }
        }

        if (target is not null)
        {
            SplitTarget(target, out path, out query);
        }

        entry = new AccessLogEntry(this, values)
        {
            RemoteAddress = remote,
            User = user,
            Time = time,
            Method = method ?? methodAtom,
            Target = target,
            Path = path ?? urlPath,
            Query = target is null ? queryString : query,
            Protocol = protocol ?? protocolAtom,
            Status = status,
            ResponseLength = length,
            Referrer = referrer,
            UserAgent = agent,
            Duration = duration,
            Pid = pid,
        };
        problem = null;
        return true;
    }

    private static bool TryDuration(AccessLogAtomKind kind, string value, out TimeSpan duration)
    {
        duration = default;
        if (kind == AccessLogAtomKind.DurationDecimalSeconds)
        {
            var dot = value.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || dot == value.Length - 1
                || !double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
                || !(seconds < 1e9))
            {
                return false;
            }

            duration = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
            return true;
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var read = TryTicks(kind, number, out var ticks);
        duration = TimeSpan.FromTicks(ticks);
        return read;
    }

    /// <summary>A whole number of the duration atom's unit (seconds, milliseconds or microseconds) in ticks; false past <see cref="TimeSpan.MaxValue"/>.</summary>
    internal static bool TryTicks(AccessLogAtomKind kind, long number, out long ticks)
    {
        var ticksPerUnit = kind switch
        {
            AccessLogAtomKind.DurationSeconds => TimeSpan.TicksPerSecond,
            AccessLogAtomKind.DurationMilliseconds => TimeSpan.TicksPerMillisecond,
            _ => TimeSpan.TicksPerMillisecond / 1000,
        };
        var fits = number <= TimeSpan.MaxValue.Ticks / ticksPerUnit;
        ticks = fits ? number * ticksPerUnit : 0;
        return fits;
    }

    private static void SplitRequestLine(string value, out string? method, out string? target, out string? protocol)
    {
        method = target = protocol = null;
        var first = value.IndexOf(' ', StringComparison.Ordinal);
        if (first <= 0)
        {
            return;
        }

        method = value[..first];
        var lastSpace = value.LastIndexOf(' ');
        if (lastSpace > first && value.AsSpan(lastSpace + 1).StartsWith("HTTP/", StringComparison.Ordinal))
        {
            protocol = value[(lastSpace + 1)..];
            target = value[(first + 1)..lastSpace];
        }
        else
        {
            target = value[(first + 1)..];
        }

        if (target.Length == 0)
        {
            target = null;
        }
    }

    private static void SplitTarget(string target, out string? path, out string? query)
    {
        var rest = target;
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && rest.AsSpan(0, scheme).IndexOfAny('/', '?') < 0)
        {
            // Absolute form: http://host/path?query
            var slash = rest.IndexOfAny(['/', '?'], scheme + 3);
            rest = slash < 0 ? "/" : rest[slash] == '?' ? "/" + rest[slash..] : rest[slash..];
        }

        var fragment = rest.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            rest = rest[..fragment];
        }

        var mark = rest.IndexOf('?', StringComparison.Ordinal);
        path = mark < 0 ? rest : rest[..mark];
        query = mark < 0 ? null : rest[(mark + 1)..];
        if (path.Length == 0)
        {
            path = "/";
        }
    }

    private static string? Dash(string value) => value == "-" ? null : value;

    private static string Shorten(string value) => value.Length > MaximumShownValue ? value[..MaximumShownValue] + "…" : value;
}
