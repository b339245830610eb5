using System.Globalization;
using System.Net;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Proxy;

/// <summary>
/// GI4001: nginx proxies to Gunicorn over loopback TCP (<c>proxy_pass http://127.0.0.1:8000</c>, an upstream
/// <c>server localhost:8000</c>) and Gunicorn listens on that TCP port on the same host, where a Unix socket would do.
/// </summary>
/// <remarks>
/// nginx targets come as <see cref="ConfigurationScope.Nginx"/> parameters named <c>proxy_pass</c>, or <c>server</c>
/// (an <c>upstream</c> block's server line, also accepted as <c>upstream</c> or <c>upstream.server</c>). Gunicorn's
/// listeners are the systemd <c>ListenStream</c> values when a socket unit is known (Gunicorn then uses the sockets
/// systemd hands it), else its effective <c>bind</c>. Only loopback targets count: across hosts or containers TCP is
/// the only option. The latency cost of the TCP hop is not something the inputs measure, so the message says so unless
/// nginx logged local-port exhaustion, a failure a Unix socket cannot have.
/// </remarks>
public sealed class SameHostTcpProxyRule : Rule
{
    private const string PortExhaustion = "(99: Cannot assign requested address)";

    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<ConfigParameter> targets = null!;
        IReadOnlyList<ConfigParameter> listenStreams = null!;
        IReadOnlyList<string> listeners = null!;
        IReadOnlyList<LogSignature> portFailures = null!;

        When()
            .Match(() => configuration)
            .Collect(() => targets, (ConfigParameter p) => p.Instance == configuration.Instance, p => LoopbackTarget(p) != null)
            .Having(() => targets.Count > 0)
            .Collect(() => listenStreams, (ConfigParameter p) => p.Instance == configuration.Instance,
                p => p.Scope == ConfigurationScope.Systemd && p.Name == "ListenStream")
            .Let(() => listeners, () => MatchingListeners(configuration, listenStreams, targets))
            .Having(() => listeners.Count > 0)
            .Collect(() => portFailures, (LogSignature s) => s.Instance == configuration.Instance,
                s => s.Kind == LogSignatureKind.UpstreamConnectFailed && s.Examples.Any(e => e.Text.Contains(PortExhaustion)));
        Then()
            .Report(ProxyDescriptors.SameHostTcpProxy, () => Finding
                .Of(DescribeTargets(targets), string.Join(", ", listeners), ListenerOrigin(configuration, listenStreams), LatencyClause(portFailures))
                .Because(targets, listenStreams.Count > 0 ? (object)listenStreams : configuration[GunicornSettingCatalog.Bind.Name], portFailures));
    }

    /// <summary>
    /// The loopback TCP endpoint an nginx <c>proxy_pass</c> or upstream <c>server</c> parameter targets, as
    /// <c>host:port</c>; <see langword="null"/> for Unix sockets, other hosts, upstream names and other parameters.
    /// </summary>
    public static string? LoopbackTarget(ConfigParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (parameter.Scope != ConfigurationScope.Nginx)
        {
            return null;
        }

        var isProxyPass = parameter.Name == "proxy_pass";
        if (!isProxyPass && parameter.Name is not ("server" or "upstream" or "upstream.server"))
        {
            return null;
        }

        var text = parameter.Value.Text.Trim().TrimEnd(';').Trim();
        var defaultPort = 80;
        if (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            text = text["https://".Length..];
            defaultPort = 443;
        }
        else if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            text = text["http://".Length..];
        }
        else if (isProxyPass)
        {
            return null;
        }

        // An upstream server line may carry a name before the address ("app 127.0.0.1:8000") and options after it.
        var token = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(IsAddressLike);
        if (token is null || token.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var slash = token.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            token = token[..slash];
        }

        return TrySplit(token, defaultPort, out var host, out var port) && IsLoopback(host)
            ? string.Create(CultureInfo.InvariantCulture, $"{host}:{port}")
            : null;
    }

    /// <summary>
    /// Gunicorn's TCP listeners (systemd <c>ListenStream</c> values when there are any, else <c>bind</c>) that a loopback
    /// target of <paramref name="targets"/> reaches: same port, on a wildcard or loopback address.
    /// </summary>
    public static IReadOnlyList<string> MatchingListeners(GunicornConfiguration configuration, IReadOnlyList<ConfigParameter> listenStreams,
        IReadOnlyList<ConfigParameter> targets)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(listenStreams);
        ArgumentNullException.ThrowIfNull(targets);
        var ports = targets.Select(LoopbackTarget).OfType<string>().Select(t => t[(t.LastIndexOf(':') + 1)..]).ToHashSet(StringComparer.Ordinal);
        var addresses = listenStreams.Count > 0
            ? listenStreams.SelectMany(s => s.Value.Items).Select(ListenStreamAddress)
            : configuration.Bind;
        return addresses
            .Where(a => !a.StartsWith("unix:", StringComparison.Ordinal) && !a.StartsWith("fd://", StringComparison.Ordinal))
            .Where(a => TrySplit(a, 8000, out var host, out var port)
                && (host.Length == 0 || IsWildcard(host) || IsLoopback(host))
                && ports.Contains(port.ToString(CultureInfo.InvariantCulture)))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The nginx side for the message: the first target, and how many more there are.</summary>
    public static string DescribeTargets(IReadOnlyList<ConfigParameter> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var first = targets[0];
        var text = (first.Name == "proxy_pass" ? "proxy_pass " : "upstream server ") + first.Value.Text.Trim().TrimEnd(';').Trim();
        return targets.Count == 1 ? text : string.Create(CultureInfo.InvariantCulture, $"{text} and {targets.Count - 1} more");
    }

    /// <summary>Where Gunicorn's listener comes from, when that needs saying.</summary>
    public static string ListenerOrigin(GunicornConfiguration configuration, IReadOnlyList<ConfigParameter> listenStreams)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(listenStreams);
        if (listenStreams.Count > 0)
        {
            return " (systemd ListenStream)";
        }

        return configuration[GunicornSettingCatalog.Bind.Name].IsDefault ? " (Gunicorn's default; no bind setting was found)" : "";
    }

    /// <summary>What the inputs say about the cost of the TCP hop.</summary>
    public static string LatencyClause(IReadOnlyList<LogSignature> portFailures)
    {
        ArgumentNullException.ThrowIfNull(portFailures);
        var failures = portFailures.Sum(s => s.Count);
        return failures > 0
            ? string.Create(CultureInfo.InvariantCulture,
                $"nginx also failed {failures} connection(s) with {PortExhaustion}: the host ran out of local TCP ports, which a Unix socket does not use")
            : "the latency this hop adds was not measured: compare nginx's $upstream_connect_time and $upstream_response_time with "
                + "Gunicorn's rt=%(L)s, before and after switching to the socket";
    }

    private static bool IsAddressLike(string token) =>
        token.Contains(':', StringComparison.Ordinal) || token.Contains('.', StringComparison.Ordinal)
        || token.Equals("localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>A systemd ListenStream value in Gunicorn's bind notation: a path is a Unix socket, a bare port listens everywhere.</summary>
    private static string ListenStreamAddress(string value)
    {
        var text = value.Trim();
        return text.StartsWith('/') ? "unix:" + text
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? "[::]:" + text
            : text;
    }

    private static bool TrySplit(string address, int defaultPort, out string host, out int port)
    {
        host = address;
        port = defaultPort;
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = address[1..close];
            var rest = address[(close + 1)..];
            return rest.Length == 0 || (rest.StartsWith(':') && int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out port));
        }

        var colon = address.LastIndexOf(':');
        if (colon < 0)
        {
            return true;
        }

        if (address.IndexOf(':', StringComparison.Ordinal) != colon)
        {
            // A bare IPv6 address without brackets has no port.
            return true;
        }

        host = address[..colon];
        return int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port);
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && (IPAddress.IsLoopback(address) || IsWildcard(host)));

    private static bool IsWildcard(string host) =>
        IPAddress.TryParse(host, out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any));
}
