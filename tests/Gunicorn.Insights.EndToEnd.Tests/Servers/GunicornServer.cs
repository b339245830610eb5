using System.Globalization;
using System.Text;
using Gunicorn.Insights.EndToEnd.Tests.Processes;
using Gunicorn.Insights.EndToEnd.Tests.Scenarios;

namespace Gunicorn.Insights.EndToEnd.Tests.Servers;

/// <summary>
/// Debian's Gunicorn (<c>/usr/bin/gunicorn</c>, on <c>/usr/bin/python3</c>) serving <c>App/app.py</c>, configured by a
/// <c>gunicorn.conf.py</c> or by command-line flags, with its error log, access log and pid file in the scenario's
/// <c>gunicorn/</c> folder.
/// </summary>
internal sealed class GunicornServer : IDisposable
{
    /// <summary>The Gunicorn the scenarios run.</summary>
    public const string Executable = "/usr/bin/gunicorn";

    private readonly ServerProcess _process;

    private GunicornServer(ServerProcess process, GunicornSettings settings, ServerAddress bind, string folder)
    {
        _process = process;
        Settings = settings;
        Address = bind;
        Folder = folder;
    }

    /// <summary>The settings it runs with.</summary>
    public GunicornSettings Settings { get; }

    /// <summary>Where it listens.</summary>
    public ServerAddress Address { get; }

    /// <summary>The folder of its files.</summary>
    public string Folder { get; }

    /// <summary>Its error log.</summary>
    public string ErrorLog => Path.Combine(Folder, "error.log");

    /// <summary>Its access log.</summary>
    public string AccessLog => Path.Combine(Folder, "access.log");

    /// <summary>Its <c>gunicorn.conf.py</c> (only when the settings are not on the command line).</summary>
    public string ConfigFile => Path.Combine(Folder, "gunicorn.conf.py");

    /// <summary>A copy of the master's <c>/proc/PID/cmdline</c>, taken once it is ready.</summary>
    public string CommandLine => Path.Combine(Folder, "cmdline");

    /// <summary>What a user would hand to Gunicorn.Insights: how it was configured, and its two logs.</summary>
    public IReadOnlyList<string> Artifacts => [Settings.OnCommandLine ? CommandLine : ConfigFile, ErrorLog, AccessLog];

    /// <summary>
    /// Starts Gunicorn with its files in <paramref name="folderName"/> of <paramref name="scenario"/>'s folder and waits
    /// until every worker has booted and it answers <c>/health</c>.
    /// </summary>
    public static async Task<GunicornServer> StartAsync(ScenarioFolder scenario, GunicornSettings settings, string folderName = "gunicorn")
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.LogBusyWorkers && settings.OnCommandLine)
        {
            throw new ArgumentException("the busy-worker hooks need gunicorn.conf.py", nameof(settings));
        }

        var folder = Path.GetDirectoryName(scenario.PathOf(Path.Combine(folderName, "error.log")))!;
        var bind = settings.Bind ?? ServerAddress.FreeTcp();
        var application = Path.Combine(AppContext.BaseDirectory, "App");
        var arguments = settings.OnCommandLine
            ? Flags(settings, bind, folder)
            : ["-c", WriteConfigFile(settings, bind, folder, application)];
        var environment = new Dictionary<string, string>(settings.Environment) { ["PYTHONDONTWRITEBYTECODE"] = "1" };
        var process = ServerProcess.Start("gunicorn", Executable, [.. arguments, "--chdir", application, "app:application"],
            folder, Path.Combine(folder, "stdout.log"), environment);
        var server = new GunicornServer(process, settings, bind, folder);
        try
        {
            await Readiness.WaitUntilAsync(() => { process.ThrowIfExited(); return server.BootedWorkers().Count >= settings.Workers; },
                Readiness.StartupLimit, $"{settings.Workers} Gunicorn worker(s) to boot", () => process.ReadOutput() + server.ReadErrorLog());
            await Readiness.WaitForHttpAsync(bind, "/health", process);
            if (settings.OnCommandLine)
            {
                File.Copy($"/proc/{process.Pid.ToString(CultureInfo.InvariantCulture)}/cmdline", server.CommandLine);
            }
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>The pids of the workers, in the order the error log says they booted.</summary>
    public IReadOnlyList<int> BootedWorkers() =>
        [.. ReadErrorLog().Split('\n').Where(l => l.Contains("Booting worker with pid: ", StringComparison.Ordinal))
            .Select(l => int.Parse(l[(l.LastIndexOf(' ') + 1)..].Trim(), CultureInfo.InvariantCulture))];

    /// <summary>The error log's text so far.</summary>
    public string ReadErrorLog() => ReadShared(ErrorLog);

    /// <summary>The access log's lines so far.</summary>
    public IReadOnlyList<string> ReadAccessLog() => [.. ReadShared(AccessLog).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>Waits until the error log has a line that satisfies <paramref name="condition"/>.</summary>
    public Task WaitForErrorLogAsync(Func<string, bool> condition, TimeSpan limit, string what) =>
        Readiness.WaitUntilAsync(() => ReadErrorLog().Split('\n').Any(condition), limit, what, ReadErrorLog);

    /// <summary>Stops Gunicorn (SIGTERM to the master, SIGKILL to what is left after the grace period).</summary>
    public Task StopAsync() => _process.StopAsync();

    /// <inheritdoc />
    public void Dispose() => _process.Dispose();

    private static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static List<string> Flags(GunicornSettings settings, ServerAddress bind, string folder)
    {
        var flags = new List<string>
        {
            "--bind", bind.GunicornBind,
            "--workers", settings.Workers.ToString(CultureInfo.InvariantCulture),
            "--worker-class", settings.WorkerClass,
            "--graceful-timeout", settings.GracefulTimeout.ToString(CultureInfo.InvariantCulture),
            "--access-logfile", Path.Combine(folder, "access.log"),
            "--access-logformat", settings.AccessLogFormat,
            "--error-logfile", Path.Combine(folder, "error.log"),
            "--log-level", settings.LogLevel,
            "--pid", Path.Combine(folder, "gunicorn.pid"),
        };
        if (settings.Timeout is { } timeout)
        {
            flags.AddRange(["--timeout", timeout.ToString(CultureInfo.InvariantCulture)]);
        }

        if (settings.StatsdHost is { } statsd)
        {
            flags.AddRange(["--statsd-host", statsd]);
        }

        if (settings.WorkerTmpDir is { } tmp)
        {
            flags.AddRange(["--worker-tmp-dir", tmp]);
        }

        return flags;
    }

    private static string WriteConfigFile(GunicornSettings settings, ServerAddress bind, string folder, string application)
    {
        var text = new StringBuilder();
        text.AppendLine($"bind = {Python(bind.GunicornBind)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"workers = {settings.Workers}");
        text.AppendLine($"worker_class = {Python(settings.WorkerClass)}");
        if (settings.Timeout is { } timeout)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"timeout = {timeout}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"graceful_timeout = {settings.GracefulTimeout}");
        text.AppendLine($"accesslog = {Python(Path.Combine(folder, "access.log"))}");
        text.AppendLine($"access_log_format = {Python(settings.AccessLogFormat)}");
        text.AppendLine($"errorlog = {Python(Path.Combine(folder, "error.log"))}");
        text.AppendLine($"loglevel = {Python(settings.LogLevel)}");
        text.AppendLine($"pidfile = {Python(Path.Combine(folder, "gunicorn.pid"))}");
        if (settings.StatsdHost is { } statsd)
        {
            text.AppendLine($"statsd_host = {Python(statsd)}");
        }

        if (settings.WorkerTmpDir is { } tmp)
        {
            text.AppendLine($"worker_tmp_dir = {Python(tmp)}");
        }

        if (settings.LogBusyWorkers)
        {
            var busy = Path.Combine(folder, "busy");
            Directory.CreateDirectory(busy);
            text.AppendLine();
            text.AppendLine($"_BUSY_DIR = {Python(busy)}");
            text.Append(File.ReadAllText(Path.Combine(application, "busy_workers.py")));
        }
        var path = Path.Combine(folder, "gunicorn.conf.py");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>A Python string literal: single-quoted, since access-log formats are full of double quotes.</summary>
    private static string Python(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
