using System.Globalization;
using System.Text;

namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>Small, allocation-light text helpers shared by the host tool parsers (no regular expressions).</summary>
internal static class HostText
{
    /// <summary>The largest number any host tool column is trusted with (beyond it a value is garbage).</summary>
    private const double LargestValue = 1e18;

    /// <summary>
    /// The line without terminal escape sequences (a pasted interactive <c>top</c> or a <c>script</c> capture) and
    /// without trailing white space.
    /// </summary>
    public static string Clean(string line)
    {
        if (line.Contains('\u001b', StringComparison.Ordinal))
        {
            var builder = new StringBuilder(line.Length);
            for (var i = 0; i < line.Length; i++)
            {
                if (line[i] != '\u001b')
                {
                    builder.Append(line[i]);
                    continue;
                }

                // ESC [ parameters final-byte, or ESC ( B and other two-character sequences.
                if (i + 1 < line.Length && line[i + 1] == '[')
                {
                    i += 2;
                    while (i < line.Length && line[i] is >= '0' and <= '?')
                    {
                        i++;
                    }

                    while (i < line.Length && line[i] is >= ' ' and <= '/')
                    {
                        i++;
                    }
                }
                else
                {
                    i += i + 2 < line.Length && line[i + 1] is '(' or ')' ? 2 : 1;
                }
            }

            line = builder.ToString();
        }

        return line.TrimEnd();
    }

    /// <summary>The white-space separated tokens of <paramref name="text"/>.</summary>
    public static string[] Tokens(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The tokens with their start offsets, so the rest of a line after the n-th token (a command with spaces, a mount
    /// point) can be cut out.
    /// </summary>
    public static List<(string Token, int Start)> TokensWithOffsets(string text, int maximum = int.MaxValue)
    {
        var tokens = new List<(string, int)>();
        var i = 0;
        while (i < text.Length && tokens.Count < maximum)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                break;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            tokens.Add((text[start..i], start));
        }

        return tokens;
    }

    /// <summary>
    /// Parses a finite, non-negative number; a decimal comma (top and free in a German or French locale) is accepted
    /// when there is no decimal point.
    /// </summary>
    public static bool TryNumber(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        text = text.Trim();
        if (text.IsEmpty || text.Length > 40)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]) && text[i] is not '.' and not ',')
            {
                return false;
            }
        }

        Span<char> normal = stackalloc char[text.Length];
        text.CopyTo(normal);
        if (!text.Contains('.') && text.Count(',') == 1)
        {
            normal[text.IndexOf(',')] = '.';
        }

        return double.TryParse(normal, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value) && value <= LargestValue;
    }

    /// <summary>Parses a non-negative integer that fits an <see cref="int"/>.</summary>
    public static bool TryInteger(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses a percentage between 0 and 100 (a little more allowed for rounding).</summary>
    public static bool TryPercent(ReadOnlySpan<char> text, out double value) => TryNumber(text, out value) && value <= 100.5;

    /// <summary>
    /// The value after <paramref name="marker"/> in <paramref name="text"/> as digits: <c>pid:7685</c>, <c>pid 7685</c>.
    /// </summary>
    public static bool TryIntegerAfter(string text, string marker, out int value)
    {
        value = 0;
        var at = text.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return false;
        }

        var rest = text.AsSpan(at + marker.Length).TrimStart(" \t:=");
        var length = 0;
        while (length < rest.Length && length < 10 && char.IsAsciiDigit(rest[length]))
        {
            length++;
        }

        return length > 0 && TryInteger(rest[..length], out value);
    }

    /// <summary><paramref name="text"/> cut to <paramref name="maximum"/> characters with an ellipsis.</summary>
    public static string Truncate(string text, int maximum = 120) => text.Length <= maximum ? text : string.Concat(text.AsSpan(0, maximum), "…");

    /// <summary>Formats a number for messages, invariant culture.</summary>
    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
