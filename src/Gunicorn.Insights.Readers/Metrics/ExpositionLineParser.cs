using System.Text;

namespace Gunicorn.Insights.Readers.Metrics;

/// <summary>
/// Parses one sample line of the Prometheus text format 0.0.4 or OpenMetrics 1.0 by hand (no regular expression):
/// a metric name (<c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>, or a quoted UTF-8 name inside the braces), optional labels
/// <c>{name="value",…}</c> with a trailing comma allowed, blanks or tabs around the tokens, label values with the escapes
/// <c>\\</c>, <c>\"</c> and <c>\n</c> (any other backslash is kept as written, as OpenMetrics permits), a value as Go's
/// ParseFloat reads it, an optional integer or fractional timestamp, and an optional OpenMetrics exemplar after <c> # </c>.
/// </summary>
internal static class ExpositionLineParser
{
    /// <summary>The most labels a sample may have; real series have a handful, so more is garbage.</summary>
    public const int MaximumLabels = 64;

    /// <summary>Parses <paramref name="line"/>; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string line, out ExpositionSample? sample, out string error)
    {
        sample = null;
        error = "";
        var i = SkipBlanks(line, 0);
        string? name = null;
        if (i < line.Length && line[i] != '{')
        {
            var start = i;
            if (!IsNameStart(line[i]))
            {
                error = $"expected a metric name, found '{Preview(line, i)}'";
                return false;
            }

            while (i < line.Length && IsNameChar(line[i]))
            {
                i++;
            }

            name = line[start..i];
        }

        var labels = new List<KeyValuePair<string, string>>();
        i = SkipBlanks(line, i);
        if (i < line.Length && line[i] == '{' && !TryLabels(line, ref i, labels, ref name, out error))
        {
            return false;
        }

        if (name is null)
        {
            error = "the sample has no metric name";
            return false;
        }

        i = SkipBlanks(line, i);
        var valueToken = Token(line, ref i);
        if (valueToken.IsEmpty)
        {
            error = $"{name} has no value";
            return false;
        }

        if (!PrometheusFloat.TryParse(valueToken, out var value))
        {
            error = $"the value '{Shorten(valueToken.ToString())}' of {name} is not a number";
            return false;
        }

        double? timestamp = null;
        var fraction = false;
        var exemplar = false;
        i = SkipBlanks(line, i);
        if (i < line.Length && line[i] == '#')
        {
            exemplar = true;
        }
        else if (i < line.Length)
        {
            var stampToken = Token(line, ref i);
            if (!TryTimestamp(stampToken, out var stamp, out fraction))
            {
                error = $"the timestamp '{Shorten(stampToken.ToString())}' of {name} is not a number";
                return false;
            }

            timestamp = stamp;
            i = SkipBlanks(line, i);
            if (i < line.Length)
            {
                if (line[i] != '#')
                {
                    error = $"unexpected text '{Preview(line, i)}' after the timestamp of {name}";
                    return false;
                }

                exemplar = true;
            }
        }

        sample = new ExpositionSample(name, labels, value, timestamp, fraction, exemplar);
        return true;
    }

    /// <summary>Reads the label set at <paramref name="i"/> (on the <c>{</c>); a first quoted item without <c>=</c> is the metric name.</summary>
    private static bool TryLabels(string line, ref int i, List<KeyValuePair<string, string>> labels, ref string? name, out string error)
    {
        error = "";
        i++;
        var first = true;
        while (true)
        {
            i = SkipBlanks(line, i);
            if (i >= line.Length)
            {
                error = "the label set is not closed with '}'";
                return false;
            }

            if (line[i] == '}')
            {
                i++;
                return true;
            }

            string labelName;
            var quoted = line[i] == '"';
            if (quoted)
            {
                if (!TryQuoted(line, ref i, out labelName, out error))
                {
                    return false;
                }
            }
            else
            {
                var start = i;
                if (!IsLabelStart(line[i]))
                {
                    error = $"expected a label name, found '{Preview(line, i)}'";
                    return false;
                }

                while (i < line.Length && IsLabelChar(line[i]))
                {
                    i++;
                }

                labelName = line[start..i];
            }

            i = SkipBlanks(line, i);
            if (quoted && first && name is null && i < line.Length && line[i] is ',' or '}')
            {
                // {"my.dotted.metric", label="value"}: a quoted UTF-8 metric name.
                name = labelName;
            }
            else
            {
                if (i >= line.Length || line[i] != '=')
                {
                    error = $"expected '=' after the label name '{Shorten(labelName)}'";
                    return false;
                }

                i = SkipBlanks(line, i + 1);
                if (i >= line.Length || line[i] != '"')
                {
                    error = $"the value of the label '{Shorten(labelName)}' is not quoted";
                    return false;
                }

                if (!TryQuoted(line, ref i, out var labelValue, out error))
                {
                    return false;
                }

                foreach (var existing in labels)
                {
                    if (existing.Key == labelName)
                    {
                        error = $"the label '{Shorten(labelName)}' appears twice";
                        return false;
                    }
                }

                if (labels.Count >= MaximumLabels)
                {
                    error = $"more than {MaximumLabels} labels";
                    return false;
                }

                labels.Add(new(labelName, labelValue));
                i = SkipBlanks(line, i);
            }

            first = false;
            if (i < line.Length && line[i] == ',')
            {
                i++;
            }
            else if (i >= line.Length || line[i] != '}')
            {
                error = i >= line.Length ? "the label set is not closed with '}'" : $"expected ',' or '}}' in the labels, found '{Preview(line, i)}'";
                return false;
            }
        }
    }

    /// <summary>Reads a double-quoted escaped string starting at <paramref name="i"/> (on the opening quote).</summary>
    private static bool TryQuoted(string line, ref int i, out string text, out string error)
    {
        var builder = new StringBuilder();
        i++;
        while (i < line.Length)
        {
            var c = line[i++];
            if (c == '"')
            {
                text = builder.ToString();
                error = "";
                return true;
            }

            if (c == '\\' && i < line.Length)
            {
                var escaped = line[i++];
                switch (escaped)
                {
                    case '\\':
                        builder.Append('\\');
                        break;
                    case '"':
                        builder.Append('"');
                        break;
                    case 'n':
                        builder.Append('\n');
                        break;
                    default:
                        builder.Append('\\').Append(escaped);
                        break;
                }

                continue;
            }

            builder.Append(c);
        }

        text = "";
        error = "a quoted label value or name is not closed";
        return false;
    }

    private static bool TryTimestamp(ReadOnlySpan<char> token, out double value, out bool fraction)
    {
        fraction = false;
        if (long.TryParse(token, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var integer))
        {
            value = integer;
            return true;
        }

        fraction = true;
        return PrometheusFloat.TryParse(token, out value) && double.IsFinite(value);
    }

    private static ReadOnlySpan<char> Token(string line, ref int i)
    {
        var start = i;
        while (i < line.Length && line[i] is not ' ' and not '\t')
        {
            i++;
        }

        return line.AsSpan(start, i - start);
    }

    private static int SkipBlanks(string line, int i)
    {
        while (i < line.Length && line[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':';

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or ':';

    private static bool IsLabelStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsLabelChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static string Preview(string line, int i) => Shorten(line[i..]);

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
