using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gunicorn.Insights.Readers.Tests.Live;

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 that answers each request with the next scripted answer (the last one repeats):
/// a status and body, or a hang that never answers.
/// </summary>
public sealed class MetricsEndpoint : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly (int Status, string Body, bool Hang)[] _answers;
    private readonly Task _serving;
    private int _requests;

    public MetricsEndpoint(params (int Status, string Body, bool Hang)[] answers)
    {
        _answers = answers;
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/metrics");
        _serving = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public int Requests => Volatile.Read(ref _requests);

    public static (int, string, bool) Ok(string body) => (200, body, false);

    public static (int, string, bool) Status(int status) => (status, $"status {status}\n", false);

    public static (int, string, bool) Hang() => (0, "", true);

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var request = new StringBuilder();
            var buffer = new byte[4096];
            try
            {
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                var index = Interlocked.Increment(ref _requests) - 1;
                var (status, body, hang) = _answers[Math.Min(index, _answers.Length - 1)];
                if (hang)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                var content = Encoding.UTF8.GetBytes(body);
                var head = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Error")}\r\nContent-Type: text/plain; version=0.0.4\r\n"
                    + $"Content-Length: {content.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                await stream.WriteAsync(content, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The test is over or the client gave up.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
