using System.Globalization;
using System.Text;

namespace Gunicorn.Insights.Readers.GunicornConfig;

/// <summary>Splits a Python statement (comments already removed) into tokens; a single pass, no backtracking.</summary>
internal static class PythonTokenizer
{
    private static readonly string[] Operators3 = ["**=", "//=", ">>=", "<<=", "..."];

    private static readonly string[] Operators2 =
        ["**", "//", "==", "!=", "<=", ">=", "->", ":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "<<", ">>"];

    private const string Operators1 = "+-*/%@&|^~<>()[]{},:.;=!";

    /// <summary>Tokenizes <paramref name="text"/>; false with the reason when it holds something no Python expression does.</summary>
    public static bool TryTokenize(string text, out List<PythonToken> tokens, out string error)
    {
        tokens = [];
        error = string.Empty;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                i++;
                continue;
            }

            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '\n' or '\r')
            {
                i += 2;
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                var name = text[start..i];
                if (i < text.Length && text[i] is '\'' or '"' && IsStringPrefix(name))
                {
                    if (!TryString(text, start, ref i, name.ToLowerInvariant(), tokens, out error))
                    {
                        return false;
                    }

                    continue;
                }

                tokens.Add(new PythonToken(PythonTokenKind.Name, name, start, i));
                continue;
            }

            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'
                    || (text[i] is '+' or '-' && text[i - 1] is 'e' or 'E' && !text.AsSpan(start, i - start).Contains("0x", StringComparison.OrdinalIgnoreCase))))
                {
                    i++;
                }

                tokens.Add(new PythonToken(PythonTokenKind.Number, text[start..i], start, i));
                continue;
            }

            if (c is '\'' or '"')
            {
                if (!TryString(text, i, ref i, string.Empty, tokens, out error))
                {
                    return false;
                }

                continue;
            }

            var op = Operator(text, i);
            if (op is null)
            {
                error = $"the character '{c}' is not Python";
                return false;
            }

            tokens.Add(new PythonToken(PythonTokenKind.Operator, op, i, i + op.Length));
            i += op.Length;
        }

        return true;
    }

    /// <summary>Decodes the escape sequences of a non-raw string literal's content.</summary>
    public static string Decode(string raw)
    {
        if (!raw.Contains('\\', StringComparison.Ordinal))
        {
            return raw;
        }

        var result = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c != '\\' || i + 1 >= raw.Length)
            {
                result.Append(c);
                continue;
            }

            var next = raw[++i];
            switch (next)
            {
                case '\n':
                    break;
                case '\\' or '\'' or '"':
                    result.Append(next);
                    break;
                case 'n':
                    result.Append('\n');
                    break;
                case 't':
                    result.Append('\t');
                    break;
                case 'r':
                    result.Append('\r');
                    break;
                case 'a':
                    result.Append('\a');
                    break;
                case 'b':
                    result.Append('\b');
                    break;
                case 'f':
                    result.Append('\f');
                    break;
                case 'v':
                    result.Append('\v');
                    break;
                case 'x' when TryHex(raw, i + 1, 2, out var x):
                    result.Append((char)x);
                    i += 2;
                    break;
                case 'u' when TryHex(raw, i + 1, 4, out var u):
                    result.Append((char)u);
                    i += 4;
                    break;
                case 'U' when TryHex(raw, i + 1, 8, out var big) && big <= 0x10FFFF && (big < 0xD800 || big > 0xDFFF):
                    result.Append(char.ConvertFromUtf32(big));
                    i += 8;
                    break;
                case >= '0' and <= '7':
                    var value = next - '0';
                    var digits = 1;
                    while (digits < 3 && i + 1 < raw.Length && raw[i + 1] is >= '0' and <= '7')
                    {
                        value = (value * 8) + (raw[++i] - '0');
                        digits++;
                    }

                    result.Append((char)value);
                    break;
                default:
                    // Python keeps unknown escapes (and \N{…}) as written.
                    result.Append('\\').Append(next);
                    break;
            }
        }

        return result.ToString();
    }

    private static bool IsStringPrefix(string name) =>
        name.ToLowerInvariant() is "r" or "u" or "b" or "f" or "br" or "rb" or "fr" or "rf";

    private static bool TryString(string text, int start, ref int i, string prefix, List<PythonToken> tokens, out string error)
    {
        error = string.Empty;
        var quote = text[i];
        var triple = i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote;
        var contentStart = i + (triple ? 3 : 1);
        var j = contentStart;
        while (true)
        {
            if (j >= text.Length)
            {
                error = "a string is not closed";
                return false;
            }

            var c = text[j];
            if (c == '\\')
            {
                j += 2;
                continue;
            }

            if (c == quote && (!triple || (j + 2 < text.Length && text[j + 1] == quote && text[j + 2] == quote)))
            {
                break;
            }

            if (!triple && c == '\n')
            {
                error = "a string is not closed on its line";
                return false;
            }

            j++;
        }

        var raw = text[contentStart..j];
        var end = j + (triple ? 3 : 1);
        var isRaw = prefix.Contains('r', StringComparison.Ordinal);
        var isFormat = prefix.Contains('f', StringComparison.Ordinal);
        var value = isRaw || isFormat ? raw : Decode(raw);
        tokens.Add(new PythonToken(PythonTokenKind.String, text[start..end], start, end, value, prefix));
        i = end;
        return true;
    }

    private static string? Operator(string text, int i)
    {
        foreach (var op in Operators3)
        {
            if (string.CompareOrdinal(text, i, op, 0, 3) == 0)
            {
                return op;
            }
        }

        foreach (var op in Operators2)
        {
            if (string.CompareOrdinal(text, i, op, 0, 2) == 0)
            {
                return op;
            }
        }

        return Operators1.Contains(text[i], StringComparison.Ordinal) ? text[i].ToString() : null;
    }

    private static bool TryHex(string text, int start, int length, out int value)
    {
        value = 0;
        return start + length <= text.Length
            && int.TryParse(text.AsSpan(start, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
