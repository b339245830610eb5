using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gunicorn.Insights.EndToEnd.Tests.Scenarios;

namespace Gunicorn.Insights.EndToEnd.Tests.Servers;

/// <summary>
/// A UDP port on loopback that receives Gunicorn's StatsD datagrams and writes each one to <c>statsd/statsd.txt</c>,
/// one metric per line, preceded by the time it arrived (ISO 8601), as the StatsD reader reads captures.
/// </summary>
internal sealed class StatsdListener : IDisposable
{
    private readonly UdpClient _socket;
    private readonly StreamWriter _capture;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private int _datagrams;

    private StatsdListener(UdpClient socket, string path)
    {
        _socket = socket;
        Capture = path;
        _capture = new StreamWriter(path, append: false) { AutoFlush = true };
        _receiving = ReceiveAsync();
    }

    /// <summary>Where Gunicorn should send its metrics: <c>127.0.0.1:PORT</c>.</summary>
    public string HostAndPort => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{((IPEndPoint)_socket.Client.LocalEndPoint!).Port}");

    /// <summary>The capture file.</summary>
    public string Capture { get; }

    /// <summary>How many datagrams arrived.</summary>
    public int Datagrams => Volatile.Read(ref _datagrams);

    /// <summary>Listens on a free loopback UDP port, capturing into <paramref name="scenario"/>'s folder.</summary>
    public static StatsdListener Start(ScenarioFolder scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new StatsdListener(new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)), scenario.PathOf("statsd/statsd.txt"));
    }

    /// <summary>Stops listening once nothing has arrived for <paramref name="quiet"/>, so datagrams still in flight are kept.</summary>
    public async Task StopAsync(TimeSpan quiet)
    {
        var seen = -1;
        while (seen != Datagrams)
        {
            seen = Datagrams;
            await Task.Delay(quiet);
        }

        await _stop.CancelAsync();
        await _receiving;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _receiving.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting for a datagram.
        }

        _capture.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await _socket.ReceiveAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _datagrams);
            var time = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            foreach (var metric in Encoding.UTF8.GetString(datagram.Buffer).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                await _capture.WriteLineAsync($"{time} {metric}");
            }
        }
    }
}
