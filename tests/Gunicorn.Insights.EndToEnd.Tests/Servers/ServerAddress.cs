using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gunicorn.Insights.EndToEnd.Tests.Servers;

/// <summary>Where a server listens: a loopback TCP port or a Unix socket.</summary>
/// <param name="Port">The TCP port on 127.0.0.1, or 0 for a Unix socket.</param>
/// <param name="SocketPath">The Unix socket's path, or null for TCP.</param>
internal sealed record ServerAddress(int Port, string? SocketPath)
{
    /// <summary>127.0.0.1 on <paramref name="port"/>.</summary>
    public static ServerAddress Tcp(int port) => new(port, null);

    /// <summary>A free loopback TCP port, found by binding port 0 and releasing it.</summary>
    public static ServerAddress FreeTcp()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return Tcp(port);
    }

    /// <summary>The Unix socket at <paramref name="path"/>.</summary>
    public static ServerAddress Unix(string path) => new(0, path);

    /// <summary>True for a Unix socket.</summary>
    public bool IsUnixSocket => SocketPath is not null;

    /// <summary>As Gunicorn's <c>bind</c> takes it: <c>127.0.0.1:8000</c> or <c>unix:/path</c>.</summary>
    public string GunicornBind => IsUnixSocket ? $"unix:{SocketPath}" : string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>As nginx's <c>proxy_pass</c> takes it: <c>http://127.0.0.1:8000</c> or <c>http://unix:/path</c>.</summary>
    public string ProxyPass => IsUnixSocket ? $"http://unix:{SocketPath}" : string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");

    /// <summary>The socket end point to connect to.</summary>
    public EndPoint EndPoint => IsUnixSocket ? new UnixDomainSocketEndPoint(SocketPath!) : new IPEndPoint(IPAddress.Loopback, Port);

    /// <summary>The address family of <see cref="EndPoint"/>.</summary>
    public AddressFamily Family => IsUnixSocket ? AddressFamily.Unix : AddressFamily.InterNetwork;

    /// <inheritdoc />
    public override string ToString() => GunicornBind;
}
