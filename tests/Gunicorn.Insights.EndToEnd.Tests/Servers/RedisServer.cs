using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Gunicorn.Insights.EndToEnd.Tests.Processes;
using Gunicorn.Insights.EndToEnd.Tests.Scenarios;

namespace Gunicorn.Insights.EndToEnd.Tests.Servers;

/// <summary>
/// Debian's redis-server on a free loopback port, with the <c>redis.conf</c> the scenario writes: its data folder,
/// log and pid file in the scenario's <c>redis/</c> folder, no RDB snapshots, and the append-only file as asked.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    /// <summary>The Redis the scenarios run.</summary>
    public const string Executable = "/usr/bin/redis-server";

    private readonly ServerProcess _process;

    private RedisServer(ServerProcess process, ServerAddress address, string folder)
    {
        _process = process;
        Address = address;
        Folder = folder;
    }

    /// <summary>Where Redis listens.</summary>
    public ServerAddress Address { get; }

    /// <summary>Its folder: configuration, data, log.</summary>
    public string Folder { get; }

    /// <summary>Its configuration.</summary>
    public string ConfigFile => Path.Combine(Folder, "redis.conf");

    /// <summary>Its log.</summary>
    public string Log => Path.Combine(Folder, "redis.log");

    /// <summary>Its data folder (<c>dir</c>).</summary>
    public string DataFolder => Path.Combine(Folder, "data");

    /// <summary>What a user would hand to Gunicorn.Insights.</summary>
    public IReadOnlyList<string> Artifacts => [ConfigFile, Log];

    /// <summary>The environment that points the application's <c>/redis</c> route at this server.</summary>
    public IReadOnlyDictionary<string, string> ApplicationEnvironment => new Dictionary<string, string>
    {
        ["APP_REDIS_HOST"] = "127.0.0.1",
        ["APP_REDIS_PORT"] = Address.Port.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Starts Redis with <c>appendonly yes</c> and <paramref name="appendfsync"/>, and waits until it answers PING.</summary>
    public static async Task<RedisServer> StartAsync(ScenarioFolder scenario, string appendfsync)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var folder = Path.GetDirectoryName(scenario.PathOf("redis/redis.conf"))!;
        var address = ServerAddress.FreeTcp();
        var data = Path.Combine(folder, "data");
        var configFile = Path.Combine(folder, "redis.conf");
        Directory.CreateDirectory(data);
        var config = new StringBuilder()
            .AppendLine("# Written by the end-to-end scenario: a throw-away Redis on loopback.")
            .AppendLine("bind 127.0.0.1")
            .AppendLine(CultureInfo.InvariantCulture, $"port {address.Port}")
            .AppendLine("daemonize no")
            .AppendLine($"dir {data}")
            .AppendLine($"logfile {Path.Combine(folder, "redis.log")}")
            .AppendLine($"pidfile {Path.Combine(folder, "redis.pid")}")
            .AppendLine("save \"\"")
            .AppendLine("appendonly yes")
            .AppendLine($"appendfsync {appendfsync}")
            .ToString();
        await File.WriteAllTextAsync(configFile, config);
        var process = ServerProcess.Start("redis-server", Executable, [configFile], folder, Path.Combine(folder, "stdout.log"));
        var server = new RedisServer(process, address, folder);
        try
        {
            await Readiness.WaitUntilAsync(() => { process.ThrowIfExited(); return server.TryCommand("PING") == "+PONG"; },
                Readiness.StartupLimit, "Redis to answer PING", process.ReadOutput);
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>Sends one command (RESP over a raw socket) and returns the first line of the reply.</summary>
    public string Command(params string[] words) =>
        TryCommand(words) ?? throw new InvalidOperationException($"Redis on {Address} did not answer {string.Join(' ', words)}");

    /// <summary>Stops Redis.</summary>
    public Task StopAsync() => _process.StopAsync();

    /// <inheritdoc />
    public void Dispose() => _process.Dispose();

    private string? TryCommand(params string[] words)
    {
        var request = new StringBuilder().Append(CultureInfo.InvariantCulture, $"*{words.Length}\r\n");
        foreach (var word in words)
        {
            request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(word)}\r\n{word}\r\n");
        }

        try
        {
            using var client = new TcpClient();
            client.ReceiveTimeout = 2_000;
            client.SendTimeout = 2_000;
            client.Connect(System.Net.IPAddress.Loopback, Address.Port);
            using var stream = client.GetStream();
            stream.Write(Encoding.UTF8.GetBytes(request.ToString()));
            var reply = new StringBuilder();
            var buffer = new byte[256];
            while (!reply.ToString().Contains("\r\n", StringComparison.Ordinal))
            {
                var count = stream.Read(buffer);
                if (count == 0)
                {
                    break;
                }

                reply.Append(Encoding.UTF8.GetString(buffer, 0, count));
            }

            var text = reply.ToString();
            var end = text.IndexOf("\r\n", StringComparison.Ordinal);
            return end < 0 ? null : text[..end];
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return null;
        }
    }
}
