using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Logs;

namespace Gunicorn.Insights.Rules.Derivations;

/// <summary>Derives a <see cref="WorkerKill"/> for every SIGKILL line, with the WORKER TIMEOUT that explains it, if any.</summary>
[Priority(900)]
public sealed class WorkerKillRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerEvent kill = null!;
        IReadOnlyList<WorkerEvent> timeouts = null!;

        When()
            .Match(() => kill, e => e.Kind == LogSignatureKind.WorkerSigkill)
            .Collect(() => timeouts, (WorkerEvent t) => t.Pid == kill.Pid, t => t.Kind == LogSignatureKind.WorkerTimeout,
                t => t.Instance == kill.Instance && WorkerKill.Explains(t, kill));
        Then()
            .Yield(() => new WorkerKill(kill, timeouts.Count == 0 ? null : timeouts[timeouts.Count - 1]));
    }
}
