namespace Gunicorn.Insights.Readers.Metrics;

/// <summary>
/// Reads Prometheus durations (<c>model.ParseDuration</c>): one or more <c>number unit</c> pairs with the units in the
/// order <c>y</c> (365 days), <c>w</c>, <c>d</c>, <c>h</c>, <c>m</c>, <c>s</c>, <c>ms</c>, each at most once, e.g.
/// <c>15s</c>, <c>1m30s</c>, <c>500ms</c>; a bare <c>0</c> is zero.
/// </summary>
internal static class PrometheusDuration
{
    private static readonly (string Unit, TimeSpan Length)[] Units =
    [
        ("y", TimeSpan.FromDays(365)), ("w", TimeSpan.FromDays(7)), ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)),
        ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1)), ("ms", TimeSpan.FromMilliseconds(1)),
    ];

    /// <summary>Parses <paramref name="text"/>; false when it is not a Prometheus duration or does not fit a TimeSpan.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text == "0")
        {
            return true;
        }

        var i = 0;
        var nextUnit = 0;
        var any = false;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start || i - start > 12)
            {
                return false;
            }

            var number = long.Parse(text.AsSpan(start, i - start), System.Globalization.CultureInfo.InvariantCulture);
            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            var unit = text[unitStart..i];
            var index = Array.FindIndex(Units, nextUnit, u => u.Unit == unit);
            if (index < 0)
            {
                return false;
            }

            var ticks = (decimal)number * Units[index].Length.Ticks + duration.Ticks;
            if (ticks > TimeSpan.MaxValue.Ticks)
            {
                return false;
            }

            duration = TimeSpan.FromTicks((long)ticks);
            nextUnit = index + 1;
            any = true;
        }

        return any;
    }
}
