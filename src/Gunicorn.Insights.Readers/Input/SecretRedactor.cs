namespace Gunicorn.Insights.Readers.Input;

/// <summary>
/// Hides secrets before any text becomes evidence: credentials in URLs (<c>redis://user:pass@host</c>), values of
/// variables and options whose name says secret (<c>*_KEY</c>, <c>*_TOKEN</c>, <c>*_SECRET</c>, <c>*PASSWORD*</c>,
/// <c>license_key</c>), and New Relic license keys given as command arguments.
/// </summary>
public static class SecretRedactor
{
    /// <summary>What a hidden value is replaced with.</summary>
    public const string Mask = "***";

    private const int MaximumAuthorityLength = 256;

    private static readonly string[] SecretWords = ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "AUTH"];

    /// <summary>True when a variable, option or setting named <paramref name="name"/> holds a secret.</summary>
    public static bool IsSecretName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var upper = name.ToUpperInvariant();
        return SecretWords.Any(word => upper.Contains(word, StringComparison.Ordinal))
            && !upper.EndsWith("_FILE", StringComparison.Ordinal) && !upper.EndsWith("_PATH", StringComparison.Ordinal);
    }

    /// <summary>The value of a variable or setting named <paramref name="name"/>, masked when the name says it is secret.</summary>
    public static string Value(string name, string value) => IsSecretName(name) ? Mask : Redact(value);

    /// <summary><paramref name="text"/> with credentials in URLs and <c>NAME=value</c> secrets masked.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = MaskUrlCredentials(text);
        return MaskAssignments(result);
    }

    private static string MaskUrlCredentials(string text)
    {
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        while (scheme >= 0)
        {
            var start = scheme + 3;
            var end = start;
            // An authority is short; bounding the scan keeps pathological text linear.
            var limit = Math.Min(text.Length, start + MaximumAuthorityLength);
            while (end < limit && !char.IsWhiteSpace(text[end]) && text[end] is not '/' and not '"' and not '\'')
            {
                end++;
            }

            var at = text.LastIndexOf('@', end - 1, end - start);
            if (at > start)
            {
                text = string.Concat(text.AsSpan(0, start), Mask, text.AsSpan(at));
                end = start + Mask.Length + (end - at);
            }

            scheme = text.IndexOf("://", Math.Min(end, text.Length), StringComparison.Ordinal);
        }

        return text;
    }

    private static string MaskAssignments(string text)
    {
        // NAME=value or --name=value or name = value, where NAME says secret.
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        while (equals > 0)
        {
            var nameEnd = equals;
            while (nameEnd > 0 && text[nameEnd - 1] == ' ')
            {
                nameEnd--;
            }

            var nameStart = nameEnd;
            while (nameStart > 0 && (char.IsAsciiLetterOrDigit(text[nameStart - 1]) || text[nameStart - 1] is '_' or '-' or '.'))
            {
                nameStart--;
            }

            var name = text[nameStart..nameEnd];
            if (name.Length == 0 || !IsSecretName(name))
            {
                // Only a secret's value is scanned, so text full of '=' stays linear.
                equals = text.IndexOf('=', equals + 1);
                continue;
            }

            var valueStart = equals + 1;
            while (valueStart < text.Length && text[valueStart] == ' ')
            {
                valueStart++;
            }

            var valueEnd = valueStart;
            var quote = valueStart < text.Length && text[valueStart] is '"' or '\'' ? text[valueStart] : '\0';
            if (quote != '\0')
            {
                var close = text.IndexOf(quote, valueStart + 1);
                valueEnd = close < 0 ? text.Length : close + 1;
            }
            else
            {
                while (valueEnd < text.Length && !char.IsWhiteSpace(text[valueEnd]) && text[valueEnd] is not ',' and not ';' and not '&' and not '"' and not '\'')
                {
                    valueEnd++;
                }
            }

            var next = equals + 1;
            if (valueEnd > valueStart)
            {
                text = string.Concat(text.AsSpan(0, valueStart), Mask, text.AsSpan(valueEnd));
                next = valueStart + Mask.Length;
            }

            // A value that is not masked may hold assignments of its own (Environment="DB_PASSWORD=…").
            equals = next < text.Length ? text.IndexOf('=', next) : -1;
        }

        return text;
    }
}
