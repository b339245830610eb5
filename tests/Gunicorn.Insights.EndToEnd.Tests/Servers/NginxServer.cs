using System.Text;
using Gunicorn.Insights.EndToEnd.Tests.Processes;
using Gunicorn.Insights.EndToEnd.Tests.Scenarios;

namespace Gunicorn.Insights.EndToEnd.Tests.Servers;

/// <summary>
/// Debian's nginx in the foreground (<c>daemon off</c>) with its prefix, configuration, pid file, logs and temporary
/// folders in the scenario's <c>nginx/</c> folder, proxying every request to Gunicorn.
/// </summary>
internal sealed class NginxServer : IDisposable
{
    /// <summary>The nginx the scenarios run.</summary>
    public const string Executable = "/usr/sbin/nginx";

    /// <summary>nginx's <c>combined</c> format with the request time and the upstream's response time, as GI3003's page suggests.</summary>
    public const string TimedLogFormat =
        "'$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" rt=$request_time urt=\"$upstream_response_time\"'";

    private readonly ServerProcess _process;

    private NginxServer(ServerProcess process, ServerAddress address, string folder)
    {
        _process = process;
        Address = address;
        Folder = folder;
    }

    /// <summary>Where nginx listens.</summary>
    public ServerAddress Address { get; }

    /// <summary>The folder of its files (its prefix).</summary>
    public string Folder { get; }

    /// <summary>Its configuration.</summary>
    public string ConfigFile => Path.Combine(Folder, "nginx.conf");

    /// <summary>Its error log.</summary>
    public string ErrorLog => Path.Combine(Folder, "error.log");

    /// <summary>Its access log.</summary>
    public string AccessLog => Path.Combine(Folder, "access.log");

    /// <summary>What a user would hand to Gunicorn.Insights.</summary>
    public IReadOnlyList<string> Artifacts => [ConfigFile, ErrorLog, AccessLog];

    /// <summary>
    /// Starts nginx proxying to <paramref name="upstream"/> with <paramref name="proxyReadTimeout"/> (nginx's time syntax;
    /// not written when null, so nginx's default of 60 s applies) and waits until it answers HTTP.
    /// </summary>
    public static async Task<NginxServer> StartAsync(ScenarioFolder scenario, ServerAddress upstream, string? proxyReadTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(upstream);
        var folder = Path.GetDirectoryName(scenario.PathOf("nginx/nginx.conf"))!;
        var address = ServerAddress.FreeTcp();
        var config = Path.Combine(folder, "nginx.conf");
        Directory.CreateDirectory(Path.Combine(folder, "temp"));
        await File.WriteAllTextAsync(config, Configuration(folder, address, upstream, proxyReadTimeout));
        var process = ServerProcess.Start("nginx", Executable, ["-p", folder + "/", "-c", config, "-e", Path.Combine(folder, "error.log")],
            folder, Path.Combine(folder, "stdout.log"));
        var server = new NginxServer(process, address, folder);
        try
        {
            await Readiness.WaitForHttpAsync(address, "/health", process, anyStatus: true);
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>Stops nginx (SIGTERM to the master, SIGKILL to what is left after the grace period).</summary>
    public Task StopAsync() => _process.StopAsync();

    /// <inheritdoc />
    public void Dispose() => _process.Dispose();

    private static string Configuration(string folder, ServerAddress address, ServerAddress upstream, string? proxyReadTimeout)
    {
        var temporary = Path.Combine(folder, "temp");
        var text = new StringBuilder();
        text.AppendLine("daemon off;");
        text.AppendLine("worker_processes 1;");
        // As root nginx would run its workers as nobody, who cannot enter the scenario's private folder to reach the socket.
        text.AppendLine("user root;");
        text.AppendLine($"pid {Path.Combine(folder, "nginx.pid")};");
        text.AppendLine($"error_log {Path.Combine(folder, "error.log")} notice;");
        text.AppendLine();
        text.AppendLine("events {");
        text.AppendLine("    worker_connections 1024;");
        text.AppendLine("}");
        text.AppendLine();
        text.AppendLine("http {");
        text.AppendLine($"    log_format timed {TimedLogFormat};");
        text.AppendLine($"    access_log {Path.Combine(folder, "access.log")} timed;");
        foreach (var kind in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            text.AppendLine($"    {kind}_temp_path {Path.Combine(temporary, kind)};");
        }

        text.AppendLine();
        text.AppendLine("    server {");
        text.AppendLine($"        listen 127.0.0.1:{address.Port};");
        text.AppendLine("        server_name localhost;");
        text.AppendLine();
        text.AppendLine("        location / {");
        text.AppendLine($"            proxy_pass {upstream.ProxyPass};");
        if (proxyReadTimeout is not null)
        {
            text.AppendLine($"            proxy_read_timeout {proxyReadTimeout};");
        }

        text.AppendLine("            proxy_set_header Host $host;");
        text.AppendLine("        }");
        text.AppendLine("    }");
        text.AppendLine("}");
        return text.ToString();
    }
}
