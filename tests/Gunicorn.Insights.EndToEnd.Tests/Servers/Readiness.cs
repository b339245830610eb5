using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Gunicorn.Insights.EndToEnd.Tests.Processes;

namespace Gunicorn.Insights.EndToEnd.Tests.Servers;

/// <summary>
/// Waits for a server to be ready by polling it (a short HTTP request over a raw socket, or a condition such as a log
/// line), never by sleeping blindly; gives up at a deadline, or at once when the server process has exited.
/// </summary>
internal static class Readiness
{
    /// <summary>How long a server gets to become ready.</summary>
    public static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Polls <c>GET <paramref name="path"/></c> on <paramref name="address"/> until it answers 200 (or, with
    /// <paramref name="anyStatus"/>, anything HTTP at all).
    /// </summary>
    public static async Task WaitForHttpAsync(ServerAddress address, string path, ServerProcess process, bool anyStatus = false)
    {
        var deadline = DateTime.UtcNow + StartupLimit;
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            process.ThrowIfExited();
            var status = await TryGetStatusAsync(address, path);
            if (status == 200 || (anyStatus && status > 0))
            {
                return;
            }

            last = status > 0 ? string.Create(CultureInfo.InvariantCulture, $"HTTP {status}") : "no answer";
            await Task.Delay(PollInterval);
        }

        throw new TimeoutException(
            $"{process} did not answer GET {path} on {address} within {StartupLimit.TotalSeconds} s (last: {last}); its output:{Environment.NewLine}{process.ReadOutput()}");
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing after <paramref name="limit"/> with <paramref name="what"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, string what, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"gave up after {limit.TotalSeconds} s waiting for {what}{(context is null ? "" : Environment.NewLine + context())}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The status code of one HTTP/1.0 request, or 0 when nothing answered.</summary>
    private static async Task<int> TryGetStatusAsync(ServerAddress address, string path)
    {
        using var socket = new Socket(address.Family, SocketType.Stream, address.IsUnixSocket ? ProtocolType.Unspecified : ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.ConnectAsync(address.EndPoint, timeout.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n"), timeout.Token);
            var buffer = new byte[64];
            var read = 0;
            while (read < 12)
            {
                var count = await socket.ReceiveAsync(buffer.AsMemory(read), timeout.Token);
                if (count == 0)
                {
                    break;
                }

                read += count;
            }

            var line = Encoding.ASCII.GetString(buffer, 0, read);
            return line.StartsWith("HTTP/", StringComparison.Ordinal) && line.Length >= 12
                && int.TryParse(line.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status)
                ? status
                : 0;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return 0;
        }
    }
}
