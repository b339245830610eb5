using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Gunicorn.Insights.Readers.AccessLogs;

/// <summary>
/// An <see cref="AccessLogFormat"/> compiled to read lines as bytes, without decoding them or allocating: it splits a
/// line at the same places <see cref="AccessLogFormat.TryParseLine(string, out AccessLogEntry?, out string?)"/> does and
/// checks the same values, but takes only plain lines — printable ASCII without backslashes, so bytes are characters and
/// no <c>\"</c> needs undoing — and only values it can check exactly. For any other line it says no, and the line is
/// read as text; so a line it takes gives what the text parser would give.
/// </summary>
internal sealed class AccessLogLinePlan
{
    /// <summary>The bytes of a plain line: printable ASCII except the backslash.</summary>
    private static readonly SearchValues<byte> Plain = SearchValues.Create([.. Enumerable.Range(0x20, 0x7F - 0x20).Where(b => b != '\\').Select(b => (byte)b)]);

    private static readonly byte[] Protocol = "HTTP/"u8.ToArray();
    private static readonly byte[] Scheme = "://"u8.ToArray();

    // Decimal values with at most 15 digits are exact doubles, so digits ÷ 10^decimals rounds as double.Parse does.
    private static readonly double[] PowersOfTen = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
    private const int MaximumDecimalDigits = 15;

    /// <summary>Ticks per unit of the last decimal, for up to seven decimals (a tick is 10^-7 s).</summary>
    private static readonly long[] TicksPerDigit = [10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];
    private const long ExactTicksLimit = 1L << 50;

    private readonly byte[] _first;
    private readonly byte[][] _separators;
    private readonly AccessLogAtomKind[] _kinds;
    private readonly int _durationIndex;
    private readonly int _valueIndex;
    private readonly bool _hasRequestLine;

    private AccessLogLinePlan(byte[] first, byte[][] separators, AccessLogAtomKind[] kinds, int durationIndex, int valueIndex)
    {
        _first = first;
        _separators = separators;
        _kinds = kinds;
        _durationIndex = durationIndex;
        _valueIndex = valueIndex;
        _hasRequestLine = Array.IndexOf(kinds, AccessLogAtomKind.RequestLine) >= 0;
    }

    /// <summary>True when the format has a <c>%(t)s</c>, so every line taken has its <see cref="AccessLogLineFields.Time"/>.</summary>
    public bool HasTime => Array.IndexOf(_kinds, AccessLogAtomKind.Time) >= 0;

    /// <summary>
    /// The plan for <paramref name="format"/>, keeping the text of the atom at <paramref name="valueIndex"/> (−1: none); null
    /// for formats it does not take (literal text that is not plain ASCII, atoms without a separator, more than one time or path atom).
    /// </summary>
    public static AccessLogLinePlan? For(AccessLogFormat format, int valueIndex)
    {
        ArgumentNullException.ThrowIfNull(format);
        var literals = format.Literals;
        if (literals.Any(l => l.Any(c => c is < ' ' or > '~' or '\\')))
        {
            return null;
        }

        var kinds = format.Atoms.Select(a => a.Kind).ToArray();
        if (kinds.Count(k => k == AccessLogAtomKind.Time) > 1 || kinds.Count(k => k == AccessLogAtomKind.RequestLine) > 1
            || kinds.Count(k => k == AccessLogAtomKind.UrlPath) > 1)
        {
            return null;
        }

        for (var k = 0; k + 1 < kinds.Length; k++)
        {
            if (literals[k + 1].Length == 0 && kinds[k] != AccessLogAtomKind.Time)
            {
                return null;
            }
        }

        var separators = literals.Skip(1).Select(l => Encoding.ASCII.GetBytes(l)).ToArray();
        return new AccessLogLinePlan(Encoding.ASCII.GetBytes(literals[0]), separators, kinds, format.DurationIndex, valueIndex);
    }

    /// <summary>Reads <paramref name="line"/>; false when it is not a plain line of the format whose values all check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryRead(ReadOnlySpan<byte> line, out AccessLogLineFields fields)
    {
        fields = default;
        fields.Status = -1;
        fields.DurationTicks = -1;
        fields.Pid = -1;
        if (line.ContainsAnyExcept(Plain) || !line.ContainsAnyExcept((byte)' ') || !line.StartsWith(_first))
        {
            return false;
        }

        var position = _first.Length;
        for (var k = 0; k < _kinds.Length; k++)
        {
            var kind = _kinds[k];
            var separator = _separators[k];
            var last = k == _kinds.Length - 1;
            int end;
            if (kind == AccessLogAtomKind.Time)
            {
                var close = position < line.Length && line[position] == '[' ? line[position..].IndexOf((byte)']') : -1;
                if (close < 0)
                {
                    return false;
                }

                end = position + close + 1;
                var fits = last ? line.Length - end == separator.Length && line[end..].SequenceEqual(separator) : line[end..].StartsWith(separator);
                if (!fits)
                {
                    return false;
                }
            }
            else if (last)
            {
                end = line.Length - separator.Length;
                if (end < position || !line[end..].SequenceEqual(separator))
                {
                    return false;
                }
            }
            else
            {
                var at = Find(line[position..], separator);
                if (at < 0)
                {
                    return false;
                }

                end = position + at;
            }

            var value = line[position..end];
            position = end + separator.Length;
            if (k == _valueIndex)
            {
                fields.Value = value;
            }

            switch (kind)
            {
                case AccessLogAtomKind.Time:
                    if (value.Length != 28)
                    {
                        return false;
                    }

                    fields.Time = value;
                    break;
                case AccessLogAtomKind.Status:
                    if (value.Length != 3)
                    {
                        return false;
                    }

                    uint hundreds = (uint)(value[0] - '0'), tens = (uint)(value[1] - '0'), ones = (uint)(value[2] - '0');
                    if (hundreds - 1 > 8 || tens > 9 || ones > 9)
                    {
                        return false;
                    }

                    fields.Status = (int)(hundreds * 100 + tens * 10 + ones);
                    break;
                case AccessLogAtomKind.ResponseLength or AccessLogAtomKind.ResponseLengthClf:
                    if (!value.SequenceEqual("-"u8) && !value.SequenceEqual("None"u8) && (value.Length > 18 || !TryDigits(value, out _)))
                    {
                        return false;
                    }

                    break;
                case AccessLogAtomKind.DurationSeconds or AccessLogAtomKind.DurationMilliseconds or AccessLogAtomKind.DurationMicroseconds
                    or AccessLogAtomKind.DurationDecimalSeconds:
                    if (!TryDuration(kind, value, out var ticks))
                    {
                        return false;
                    }

                    if (k == _durationIndex)
                    {
                        fields.DurationTicks = ticks;
                    }

                    break;
                case AccessLogAtomKind.ProcessId:
                    if (value.Length < 3 || value.Length > 11 || value[0] != '<' || value[^1] != '>' || !TryDigits(value[1..^1], out var pid))
                    {
                        return false;
                    }

                    fields.Pid = (int)pid;

                    break;
                case AccessLogAtomKind.RequestLine:
                    if (!TryPath(value, out var path))
                    {
                        return false;
                    }

                    fields.HasPath = true;
                    fields.Path = path;
                    break;
                case AccessLogAtomKind.UrlPath when !_hasRequestLine:
                    // The request line's path wins when there is one; an empty PATH_INFO is the root, '-' no path.
                    fields.HasPath = !value.SequenceEqual("-"u8);
                    fields.Path = value.Length == 0 ? "/"u8 : value;
                    break;
            }
        }

        return true;
    }

    /// <summary>
    /// Where <paramref name="separator"/> first occurs in <paramref name="text"/>, or −1: a search for its first byte,
    /// checked for the rest, is quicker on these short values than a search for the whole sequence.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Find(ReadOnlySpan<byte> text, byte[] separator)
    {
        var first = separator[0];
        if (separator.Length == 1)
        {
            return text.IndexOf(first);
        }

        var rest = separator.AsSpan(1);
        var offset = 0;
        while (true)
        {
            var at = text[offset..].IndexOf(first);
            if (at < 0)
            {
                return -1;
            }

            offset += at;
            if (text[(offset + 1)..].StartsWith(rest))
            {
                return offset;
            }

            offset++;
        }
    }

    /// <summary>The path of a request line the way <see cref="AccessLogFormat"/> splits it; false for the odd ones (read as text).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryPath(ReadOnlySpan<byte> request, out ReadOnlySpan<byte> path)
    {
        path = default;
        var first = request.IndexOf((byte)' ');
        if (first <= 0)
        {
            return false;
        }

        var lastSpace = request.LastIndexOf((byte)' ');
        var target = lastSpace > first && request[(lastSpace + 1)..].StartsWith(Protocol)
            ? request[(first + 1)..lastSpace]
            : request[(first + 1)..];
        // A target starting with '/' is never the absolute form (http://host/path), whatever follows.
        if (target.Length == 0 || (target[0] != '/' && target.IndexOf(Scheme) >= 0))
        {
            return false;
        }

        // Cutting the fragment, then the query within what is left, ends the path at the first '#' or '?'.
        var end = target.IndexOfAny((byte)'#', (byte)'?');
        path = end < 0 ? target : target[..end];
        if (path.Length == 0)
        {
            path = "/"u8;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryDuration(AccessLogAtomKind kind, ReadOnlySpan<byte> value, out long ticks)
    {
        ticks = 0;
        if (kind == AccessLogAtomKind.DurationDecimalSeconds)
        {
            var dot = value.IndexOf((byte)'.');
            if (dot <= 0 || dot == value.Length - 1 || dot > 9 || value.Length - 1 > MaximumDecimalDigits
                || !TryDigits(value[..dot], out var whole) || !TryDigits(value[(dot + 1)..], out var fraction))
            {
                return false;
            }

            var decimals = value.Length - dot - 1;
            var digits = whole * (long)PowersOfTen[decimals] + fraction;
            if (decimals <= 7 && digits < ExactTicksLimit / TicksPerDigit[decimals])
            {
                // Whole ticks below 2^50: the double arithmetic below errs by less than a quarter tick and rounds to these.
                ticks = digits * TicksPerDigit[decimals];
                return true;
            }

            var seconds = digits / PowersOfTen[decimals];
            ticks = (long)Math.Round(seconds * TimeSpan.TicksPerSecond);
            return true;
        }

        if (value.Length > 18 || !TryDigits(value, out var number))
        {
            return false;
        }

        return AccessLogFormat.TryTicks(kind, number, out ticks);
    }

    /// <summary>Reads 1 to 18 ASCII digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TryDigits(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 18)
        {
            return false;
        }

        foreach (var b in text)
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            value = value * 10 + digit;
        }

        return true;
    }
}
