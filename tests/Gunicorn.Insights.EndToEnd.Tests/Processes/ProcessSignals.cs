using System.Globalization;
using System.Runtime.InteropServices;

namespace Gunicorn.Insights.EndToEnd.Tests.Processes;

/// <summary>
/// Signals and liveness of processes by pid, through <c>kill(2)</c> and <c>/proc</c>: .NET itself can only send
/// SIGKILL, and Gunicorn and nginx shut down gracefully on SIGTERM.
/// </summary>
internal static class ProcessSignals
{
    /// <summary>SIGKILL.</summary>
    public const int Kill = 9;

    /// <summary>SIGTERM.</summary>
    public const int Terminate = 15;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when the process is gone.</summary>
    public static bool Send(int pid, int signal) => pid > 0 && SendSignal(pid, signal) == 0;

    /// <summary>The process' parent pid, state and start time (clock ticks after boot) from <c>/proc/PID/stat</c>, or null.</summary>
    public static (int ParentPid, char State, long StartTime)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name is in parentheses and may hold spaces: fields are counted after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19
            && int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parent)
            && long.TryParse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)
            ? (parent, fields[0][0], start)
            : null;
    }

    [DllImport("libc", EntryPoint = "kill")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SendSignal(int pid, int signal);
}
