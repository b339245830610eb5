using System.Globalization;

namespace Gunicorn.Insights.Readers.Metrics;

/// <summary>
/// One StatsD sample: <c>name:value|type[|@rate][|#tags]</c>, as Gunicorn's <c>Statsd</c> logger and statsd_exporter
/// read them. Types are <c>c</c> (counter), <c>g</c> (gauge, relative when signed), <c>ms</c> (timer),
/// <c>h</c>/<c>d</c> (histogram, distribution) and <c>s</c> (set). Sections after the type may come in any order;
/// unknown ones (DogStatsD's <c>|c:</c> container id, <c>|T</c> timestamp) are ignored.
/// </summary>
/// <param name="Name">The metric name as sent, prefix included.</param>
/// <param name="Value">The value.</param>
/// <param name="Type">The type: <c>c</c>, <c>g</c>, <c>ms</c>, <c>h</c>, <c>d</c> or <c>s</c>.</param>
/// <param name="Rate">The sample rate (<c>@0.1</c>), 1 when absent.</param>
/// <param name="Tags">The DogStatsD tags after <c>|#</c>, or null.</param>
/// <param name="Signed">True when the value had an explicit sign (a relative gauge change).</param>
internal sealed record StatsdDatagram(string Name, double Value, string Type, double Rate, string? Tags, bool Signed)
{
    /// <summary>
    /// Parses one line holding one datagram, or several <c>value|type</c> samples of one name separated by <c>:</c>
    /// (not with DogStatsD tags, whose values contain <c>:</c>). On failure <paramref name="error"/> says why.
    /// </summary>
    public static bool TryParse(string line, List<StatsdDatagram> samples, out string error)
    {
        error = "";
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            error = "expected 'name:value|type'";
            return false;
        }

        var name = line[..colon];
        if (name.Length > 1024)
        {
            error = "the metric name is longer than 1024 characters";
            return false;
        }

        if (name.AsSpan().IndexOfAny(" \t|@#") >= 0)
        {
            error = $"the metric name '{Shorten(name)}' contains a blank, '|', '@' or '#'";
            return false;
        }

        var rest = line[(colon + 1)..];
        var parts = rest.Contains("|#", StringComparison.Ordinal) ? [rest] : rest.Split(':');
        var first = samples.Count;
        foreach (var part in parts)
        {
            if (!TryParseSample(name, part, out var sample, out error))
            {
                samples.RemoveRange(first, samples.Count - first);
                return false;
            }

            samples.Add(sample!);
        }

        return true;
    }

    private static bool TryParseSample(string name, string text, out StatsdDatagram? sample, out string error)
    {
        sample = null;
        error = "";
        var sections = text.Split('|');
        if (sections.Length < 2)
        {
            error = $"{Shorten(name)}: expected 'value|type' after the name";
            return false;
        }

        var valueText = sections[0].Trim();
        var signed = valueText.Length > 0 && valueText[0] is '+' or '-';
        if (!PrometheusFloat.TryParse(valueText, out var value) || !double.IsFinite(value))
        {
            error = $"{Shorten(name)}: the value '{Shorten(valueText)}' is not a number";
            return false;
        }

        var type = sections[1].Trim();
        if (type is not ("c" or "g" or "ms" or "h" or "d" or "s"))
        {
            error = $"{Shorten(name)}: unknown type '{Shorten(type)}' (expected c, g, ms, h, d or s)";
            return false;
        }

        var rate = 1.0;
        string? tags = null;
        for (var i = 2; i < sections.Length; i++)
        {
            var section = sections[i].Trim();
            if (section.StartsWith('@'))
            {
                if (!double.TryParse(section.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out rate) || !(rate > 0) || rate > 1)
                {
                    error = $"{Shorten(name)}: the sample rate '{Shorten(section)}' is not a number in (0, 1]";
                    return false;
                }
            }
            else if (section.StartsWith('#'))
            {
                tags = section[1..];
            }
        }

        sample = new StatsdDatagram(name, value, type, rate, tags, signed);
        return true;
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
