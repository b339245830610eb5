using System.Diagnostics;
using System.Globalization;

namespace Gunicorn.Insights.EndToEnd.Tests.Processes;

/// <summary>
/// A server process a scenario started: its standard output and error go to a file, and stopping it sends SIGTERM,
/// waits a short grace period, then SIGKILLs it and every process that descended from it, so no worker outlives the
/// test even when the server's own shutdown hangs.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly StreamWriter _output;
    private readonly ProcessTree _tree = new();
    private readonly Lock _gate = new();
    private bool _stopped;

    private ServerProcess(string name, Process process, StreamWriter output, string outputPath)
    {
        Name = name;
        _process = process;
        _output = output;
        OutputPath = outputPath;
    }

    /// <summary>What the process is, for messages (<c>gunicorn</c>, <c>nginx</c>).</summary>
    public string Name { get; }

    /// <summary>The pid of the process started (Gunicorn's master, nginx's master).</summary>
    public int Pid => _process.Id;

    /// <summary>The file its standard output and error are written to.</summary>
    public string OutputPath { get; }

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="executable"/> with <paramref name="arguments"/>, its output going to <paramref name="outputPath"/>.</summary>
    public static ServerProcess Start(string name, string executable, IEnumerable<string> arguments, string workingDirectory,
        string outputPath, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"{executable} is not installed; the end-to-end tests run Debian's gunicorn, python3-gevent, nginx and redis-server (.ci/run installs them)");
        }

        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var output = new StreamWriter(outputPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        var server = new ServerProcess(name, process, output, outputPath);
        process.OutputDataReceived += (_, e) => server.Write(e.Data);
        process.ErrorDataReceived += (_, e) => server.Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Fails with the process' output when it has already exited (a server that could not start).</summary>
    public void ThrowIfExited()
    {
        if (HasExited)
        {
            throw new InvalidOperationException(
                $"{Name} (pid {Pid}) exited early; its output ({OutputPath}):{Environment.NewLine}{ReadOutput()}");
        }
    }

    /// <summary>What the process wrote to its standard output and error so far.</summary>
    public string ReadOutput()
    {
        lock (_gate)
        {
            _output.Flush();
        }

        using var stream = new FileStream(OutputPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Stops the process: SIGTERM, up to <paramref name="grace"/> (5 s by default) for it to exit, then SIGKILL for it
    /// and for every descendant still running.
    /// </summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _tree.AddDescendantsOf(Pid);
        ProcessSignals.Send(Pid, ProcessSignals.Terminate);
        var deadline = DateTime.UtcNow + (grace ?? DefaultGrace);
        while (!_process.HasExited && DateTime.UtcNow < deadline)
        {
            // Workers booted during the shutdown are remembered too.
            _tree.AddDescendantsOf(Pid);
            await Task.Delay(50);
        }

        if (!_process.HasExited)
        {
            _tree.AddDescendantsOf(Pid);
            ProcessSignals.Send(Pid, ProcessSignals.Kill);
        }

        foreach (var descendant in _tree.Living())
        {
            ProcessSignals.Send(descendant, ProcessSignals.Kill);
        }

        _process.WaitForExit(2_000);
        var settle = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (_tree.Living().Count > 0 && DateTime.UtcNow < settle)
        {
            await Task.Delay(20);
        }

        lock (_gate)
        {
            _output.Flush();
        }
    }

    /// <summary>Stops the process if a scenario did not (a failed assertion or an exception).</summary>
    public void Dispose()
    {
        StopAsync(TimeSpan.FromSeconds(2)).GetAwaiter().GetResult();
        _process.Dispose();
        lock (_gate)
        {
            _output.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            try
            {
                _output.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A worker that outlived the stop kept the pipe open; its last words are not needed.
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (pid {Pid})");
}
