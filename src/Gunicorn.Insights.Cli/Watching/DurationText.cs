using System.Globalization;
using Gunicorn.Insights.Cli.Inputs;

namespace Gunicorn.Insights.Cli.Watching;

/// <summary>Durations as people write them on a command line: <c>500ms</c>, <c>15s</c>, <c>15m</c>, <c>2h</c>, or bare seconds.</summary>
internal static class DurationText
{
    public static TimeSpan Parse(string option, string text)
    {
        var trimmed = text.Trim();
        var digits = 0;
        while (digits < trimmed.Length && (char.IsAsciiDigit(trimmed[digits]) || trimmed[digits] == '.'))
        {
            digits++;
        }

        var unit = trimmed[digits..];
        if (digits > 0 && double.TryParse(trimmed[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            TimeSpan? duration = unit switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "" or "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => null,
            };
            if (duration is { } parsed && parsed >= TimeSpan.FromMilliseconds(1) && parsed <= TimeSpan.FromDays(365))
            {
                return parsed;
            }
        }

        throw new UsageException($"{option} takes a positive duration such as 500ms, 15s, 15m or 2h, not '{text}'");
    }
}
