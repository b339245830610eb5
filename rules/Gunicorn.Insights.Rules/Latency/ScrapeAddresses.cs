using System.Globalization;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// Reads Gunicorn bind addresses and Prometheus scrape targets as host and port, so the Prometheus rules can tell
/// whether a target can reach Gunicorn.
/// </summary>
internal static class ScrapeAddresses
{
    /// <summary>The port Gunicorn uses for a bind address without one (<c>gunicorn.util.parse_address</c>).</summary>
    public const int GunicornDefaultPort = 8000;

    /// <summary>The Prometheus parameter of a job's name.</summary>
    public const string JobName = "scrape_configs.job_name";

    /// <summary>The Prometheus parameter of a job's static targets.</summary>
    public const string Targets = "scrape_configs.static_configs.targets";

    private static readonly HashSet<string> Loopback = new(StringComparer.OrdinalIgnoreCase) { "127.0.0.1", "localhost", "::1" };

    /// <summary>One TCP address: a host (empty for all interfaces) and a port.</summary>
    public readonly record struct Endpoint(string Text, string Host, int Port)
    {
        /// <summary>True for a loopback host, reachable only from the same machine.</summary>
        public bool IsLoopback => Loopback.Contains(Host);
    }

    /// <summary>The TCP addresses among Gunicorn's bind addresses (Unix sockets and inherited descriptors left out).</summary>
    public static IReadOnlyList<Endpoint> TcpBinds(GunicornConfiguration configuration) =>
        configuration.Bind
            .Where(b => !b.StartsWith("unix:", StringComparison.Ordinal) && !b.StartsWith("fd://", StringComparison.Ordinal))
            .Select(b => Parse(b, GunicornDefaultPort))
            .OfType<Endpoint>()
            .ToArray();

    /// <summary>The items of a list-valued parameter, also when it was read as the text of a YAML or Python list.</summary>
    public static IReadOnlyList<string> Items(SettingValue value)
    {
        var items = value.Kind == SettingValueKind.List ? value.Items : value.Text.Trim().TrimStart('[').TrimEnd(']').Split(',');
        return items.Select(i => i.Trim().Trim('\'', '"').Trim()).Where(i => i.Length > 0).ToArray();
    }

    /// <summary>The targets of a parameter as endpoints (a target without a port is left out).</summary>
    public static IReadOnlyList<Endpoint> Endpoints(ConfigParameter targets) =>
        Items(targets.Value).Select(t => Parse(t, null)).OfType<Endpoint>().ToArray();

    /// <summary>True when a target can reach a bind: the same port, and a host the bind listens on.</summary>
    public static bool Reaches(Endpoint target, Endpoint bind) =>
        target.Port == bind.Port && (!bind.IsLoopback || target.IsLoopback);

    /// <summary>Parses <c>host:port</c>, <c>[::1]:port</c>, <c>http://host:port/path</c> or a bare host (with <paramref name="defaultPort"/>).</summary>
    private static Endpoint? Parse(string address, int? defaultPort)
    {
        var text = address.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        var rest = scheme >= 0 ? text[(scheme + 3)..] : text;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            rest = rest[..slash];
        }

        string host;
        string? port;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }

            host = rest[1..close];
            port = close + 1 < rest.Length && rest[close + 1] == ':' ? rest[(close + 2)..] : null;
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            host = colon >= 0 ? rest[..colon] : rest;
            port = colon >= 0 ? rest[(colon + 1)..] : null;
        }

        if (port is null)
        {
            return defaultPort is { } fallback ? new Endpoint(text, host, fallback) : null;
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? new Endpoint(text, host, number) : null;
    }
}
