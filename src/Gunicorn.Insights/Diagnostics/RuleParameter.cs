using System.Globalization;

namespace Gunicorn.Insights.Diagnostics;

/// <summary>
/// A threshold a rule lets the user change, declared on its descriptor with a default, e.g. GI3001's <c>p95-limit</c>
/// of <c>2s</c>. Users set it as <c>GI3001.p95-limit</c> in the configuration.
/// </summary>
/// <param name="Name">The parameter's name, lower case with dashes.</param>
/// <param name="Kind">The type of its value.</param>
/// <param name="DefaultValue">The default, written as a user would write it.</param>
/// <param name="Description">What it controls.</param>
public sealed record RuleParameter(string Name, RuleParameterKind Kind, string DefaultValue, string Description)
{
    /// <summary>Parses <paramref name="text"/> as this parameter's kind.</summary>
    /// <exception cref="FormatException">The text is not a valid value of this kind.</exception>
    public object Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        return Kind switch
        {
            RuleParameterKind.Duration => ParseDuration(trimmed),
            RuleParameterKind.Number when double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                && double.IsFinite(number) => number,
            RuleParameterKind.Integer when long.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) => integer,
            _ => throw Invalid(text, Kind == RuleParameterKind.Number ? "a number" : "a whole number"),
        };
    }

    private TimeSpan ParseDuration(string text)
    {
        (string number, double scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 0.001),
            _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], 1.0),
            _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], 60.0),
            _ => (text, 1.0),
        };
        return double.TryParse(number.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0
            ? TimeSpan.FromSeconds(value * scale)
            : throw Invalid(text, "a duration such as 2s, 1500ms or 1m");
    }

    private FormatException Invalid(string text, string expected) =>
        new($"'{text}' is not valid for parameter '{Name}': expected {expected}.");
}
