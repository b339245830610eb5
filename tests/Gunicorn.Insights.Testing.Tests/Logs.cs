using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Logs;

namespace Gunicorn.Insights.Testing.Tests;

/// <summary>Log signatures as the error-log reader reports them.</summary>
public static class Logs
{
    public static LogSignature Timeouts(int line, string? instance = null, params int[] pids) =>
        new(LogSignatureKind.WorkerTimeout, pids.Length, [new LogExample(new SourceLocation("error.log", line), $"[7657] [CRITICAL] WORKER TIMEOUT (pid:{pids[0]})")])
        {
            Pids = pids,
            Instance = instance,
        };

    public static LogSignature Sigkill(int line, int pid) =>
        new(LogSignatureKind.WorkerSigkill, 1, [new LogExample(new SourceLocation("error.log", line), $"[7657] [ERROR] Worker (pid:{pid}) was sent SIGKILL! Perhaps out of memory?")])
        {
            Pids = [pid],
        };
}
