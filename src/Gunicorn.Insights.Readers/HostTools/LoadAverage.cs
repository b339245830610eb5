using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>
/// The load averages of <c>top</c>'s first line, <c>uptime</c> and <c>/proc/loadavg</c>, as the gauges node_exporter names
/// <c>node_load1</c>, <c>node_load5</c> and <c>node_load15</c> (runnable plus uninterruptible processes, a count).
/// </summary>
internal static class LoadAverage
{
    private static readonly string[] Names = ["node_load1", "node_load5", "node_load15"];

    /// <summary>
    /// Reads <c>4.12, 3.87, 2.95</c> (or with a decimal comma, <c>4,12, 3,87, 2,95</c>) after <c>load average:</c>; reports
    /// an unreadable list.
    /// </summary>
    public static void Add(ReadContext context, string text, long number, DateTimeOffset? time)
    {
        var parts = text.Split(", ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3)
        {
            parts = HostText.Tokens(text.Replace(',', ' '));
        }

        Add(context, parts, number, time);
    }

    /// <summary>Adds the three values of <c>/proc/loadavg</c> (<c>4.12 3.87 2.95 6/412 7702</c>) or of a split list.</summary>
    public static void Add(ReadContext context, IReadOnlyList<string> values, long number, DateTimeOffset? time)
    {
        if (values.Count < 3)
        {
            context.Warn(number, "the load averages are not three numbers; skipped");
            return;
        }

        var loads = new double[3];
        for (var i = 0; i < 3; i++)
        {
            if (!HostText.TryNumber(values[i], out loads[i]))
            {
                context.Warn(number, $"unreadable load average '{HostText.Truncate(values[i], 40)}'; the load averages were skipped");
                return;
            }
        }

        for (var i = 0; i < 3; i++)
        {
            context.Add(new Gauge(Names[i], loads[i], MetricUnit.Count, context.At(number)) { Timestamp = time });
        }
    }
}
