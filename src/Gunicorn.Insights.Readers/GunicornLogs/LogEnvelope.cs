using System.Globalization;
using System.Text.Json;

namespace Gunicorn.Insights.Readers.GunicornLogs;

/// <summary>
/// Removes what log collectors wrap around a line: journald/syslog prefixes (<c>Nov 23 10:00:00 host gunicorn[123]: </c>),
/// <c>docker logs -t</c> and Azure App Service timestamps (<c>2026-11-23T23:45:22.123456789Z </c>), <c>heroku logs</c>
/// (<c>2026-11-23T23:45:22.123456+00:00 app[web.1]: </c>), Kubernetes/Docker JSON
/// (<c>{"log": "…", "time": "…"}</c>), Google Cloud logging JSON (<c>textPayload</c>, <c>jsonPayload.message</c>) and
/// Azure App Service console-log records (<c>resultDescription</c>, <c>time</c>).
/// The collector's timestamp is kept for lines that carry none of their own.
/// </summary>
internal static class LogEnvelope
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>The wrapped line's text and the collector's timestamp, if any.</summary>
    public static (string Text, DateTimeOffset? CollectorTime) Unwrap(string line)
    {
        if (line.Length > 1 && line[0] == '{')
        {
            return UnwrapJson(line);
        }

        if (line.Length > 20 && char.IsAsciiDigit(line[0]) && line[4] == '-' && line[10] == 'T')
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && DateTimeOffset.TryParse(line.AsSpan(0, space), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return (WithoutDyno(line[(space + 1)..]), time);
            }
        }

        if (line.Length > 16 && Array.IndexOf(Months, line[..3]) >= 0 && line[3] == ' ')
        {
            // journald/syslog: "Nov 23 10:00:00 host program[pid]: message"
            var colon = line.IndexOf("]: ", 15, StringComparison.Ordinal);
            if (colon < 0)
            {
                colon = line.IndexOf(": ", 15, StringComparison.Ordinal);
                return colon < 0 ? (line, null) : (line[(colon + 2)..], null);
            }

            return (line[(colon + 3)..], null);
        }

        return (line, null);
    }

    /// <summary>Removes the dyno that <c>heroku logs</c> names after the time (<c>app[web.1]: </c>).</summary>
    private static string WithoutDyno(string text)
    {
        if (!text.StartsWith("app[", StringComparison.Ordinal))
        {
            return text;
        }

        var end = text.IndexOf("]: ", 4, StringComparison.Ordinal);
        return end < 0 || text.AsSpan(4, end - 4).Contains(' ') ? text : text[(end + 3)..];
    }

    private static (string Text, DateTimeOffset? CollectorTime) UnwrapJson(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (line, null);
            }

            var text = String(root, "log") ?? String(root, "textPayload") ?? String(root, "message") ?? String(root, "msg")
                ?? String(root, "resultDescription") ?? String(root, "ResultDescription")
                ?? (root.TryGetProperty("jsonPayload", out var payload) && payload.ValueKind == JsonValueKind.Object ? String(payload, "message") : null);
            var time = String(root, "time") ?? String(root, "timestamp") ?? String(root, "receiveTimestamp");
            DateTimeOffset? collected = time is not null && DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : null;
            return text is null ? (line, collected) : (text.TrimEnd('\n', '\r'), collected);
        }
        catch (JsonException)
        {
            return (line, null);
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
