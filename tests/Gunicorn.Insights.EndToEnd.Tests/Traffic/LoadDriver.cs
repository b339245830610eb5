using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Gunicorn.Insights.EndToEnd.Tests.Servers;

namespace Gunicorn.Insights.EndToEnd.Tests.Traffic;

/// <summary>
/// Sends bounded traffic to one loopback server: a fixed list of requests, a fixed number of concurrent clients, and a
/// time limit after which no new request starts. Each request is one HTTP/1.1 GET with <c>Connection: close</c> on
/// its own raw socket, never retried (an HTTP client library would resend a GET whose connection closed without a
/// response, and each resend would be killed again), and its status and client-side duration are recorded.
/// </summary>
internal sealed class LoadDriver(ServerAddress address)
{
    /// <summary>How long one request may take before the client gives up.</summary>
    public static readonly TimeSpan RequestLimit = TimeSpan.FromSeconds(15);

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Sends one request and waits for its whole response (until the server closes the connection).</summary>
    public async Task<RequestResult> GetAsync(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var started = _clock.Elapsed;
        using var socket = new Socket(address.Family, SocketType.Stream, address.IsUnixSocket ? ProtocolType.Unspecified : ProtocolType.Tcp);
        using var limit = new CancellationTokenSource(RequestLimit);
        try
        {
            await socket.ConnectAsync(address.EndPoint, limit.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), limit.Token);
            var response = new MemoryStream();
            var buffer = new byte[4096];
            int count;
            while ((count = await socket.ReceiveAsync(buffer, limit.Token)) > 0)
            {
                response.Write(buffer, 0, count);
            }

            var elapsed = _clock.Elapsed - started;
            var head = Encoding.ASCII.GetString(response.GetBuffer(), 0, (int)Math.Min(response.Length, 12));
            return head.Length == 12 && head.StartsWith("HTTP/", StringComparison.Ordinal)
                && int.TryParse(head.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status)
                ? new RequestResult(path, status, started, elapsed)
                : new RequestResult(path, 0, started, elapsed, response.Length == 0 ? "closed without a response" : "not an HTTP response");
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return new RequestResult(path, 0, started, _clock.Elapsed - started, e.Message);
        }
    }

    /// <summary>
    /// Sends <paramref name="paths"/> from <paramref name="clients"/> concurrent clients, each taking the next path when its
    /// previous request is answered, until every path was sent or <paramref name="limit"/> has passed.
    /// </summary>
    public async Task<IReadOnlyList<RequestResult>> RunAsync(IReadOnlyList<string> paths, int clients, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var next = -1;
        var stopAt = _clock.Elapsed + limit;
        var results = new RequestResult?[paths.Count];
        async Task Client()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < paths.Count && _clock.Elapsed < stopAt)
            {
                results[index] = await GetAsync(paths[index]);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Client)));
        return [.. results.OfType<RequestResult>()];
    }
}
