using System.Globalization;

namespace Gunicorn.Insights.Readers.Metrics;

/// <summary>
/// Reads numbers as Prometheus' text parsers do (Go's <c>strconv.ParseFloat</c> as the exposition parsers call it):
/// decimal and exponent forms, <c>NaN</c>, and <c>Inf</c>/<c>Infinity</c> with an optional sign in any letter case;
/// hexadecimal floats and digit underscores (anything with <c>p</c>, <c>P</c>, <c>x</c> or <c>_</c>) and numbers too large
/// for a double are rejected.
/// </summary>
internal static class PrometheusFloat
{
    /// <summary>Parses <paramref name="text"/> (no surrounding blanks) into <paramref name="value"/>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 400)
        {
            return false;
        }

        var body = text;
        var negative = false;
        if (body[0] is '+' or '-')
        {
            negative = body[0] == '-';
            body = body[1..];
        }

        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        // Go accepts NaN only without a sign.
        if (text.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }

        foreach (var c in body)
        {
            if (!char.IsAsciiDigit(c) && c is not '.' and not 'e' and not 'E' and not '+' and not '-')
            {
                return false;
            }
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>Formats a number for a message, as Prometheus writes it (<c>+Inf</c>, <c>NaN</c>, shortest round trip).</summary>
    public static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
