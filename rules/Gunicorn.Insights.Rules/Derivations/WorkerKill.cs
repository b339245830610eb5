using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Logs;

namespace Gunicorn.Insights.Rules.Derivations;

/// <summary>
/// A worker that was sent SIGKILL, told apart by what came before it: Gunicorn's own follow-up kill about a second
/// after a WORKER TIMEOUT of the same pid (a worker stuck too hard to exit on SIGABRT; the log's "Perhaps out of
/// memory?" is then misleading), or a kill with no timeout before it, which came from outside Gunicorn (the kernel's
/// OOM killer, an orchestrator).
/// </summary>
public sealed record WorkerKill : DerivedFact
{
    /// <summary>How long after a WORKER TIMEOUT a SIGKILL of the same pid still counts as Gunicorn's follow-up.</summary>
    public static readonly TimeSpan FollowUpWindow = TimeSpan.FromSeconds(5);

    /// <summary>Creates the finding for <paramref name="kill"/>, preceded by <paramref name="timeout"/> or not.</summary>
    public WorkerKill(WorkerEvent kill, WorkerEvent? timeout)
        : base(timeout is null ? [kill] : [timeout, kill])
    {
        Kill = kill;
        PrecedingTimeout = timeout;
        Instance = kill.Instance;
    }

    /// <summary>The SIGKILL line.</summary>
    public WorkerEvent Kill { get; init; }

    /// <summary>The WORKER TIMEOUT of the same pid just before it, if any.</summary>
    public WorkerEvent? PrecedingTimeout { get; init; }

    /// <summary>True when Gunicorn itself sent the SIGKILL after a timeout.</summary>
    public bool AfterTimeout => PrecedingTimeout is not null;

    /// <summary>Whether <paramref name="timeout"/> explains <paramref name="kill"/>: same pid, and not after it nor long before it when both have times.</summary>
    public static bool Explains(WorkerEvent timeout, WorkerEvent kill)
    {
        ArgumentNullException.ThrowIfNull(timeout);
        ArgumentNullException.ThrowIfNull(kill);
        if (timeout.Pid != kill.Pid)
        {
            return false;
        }

        return timeout.Timestamp is not { } before || kill.Timestamp is not { } after
            ? Precedes(timeout.Source, kill.Source)
            : after >= before && after - before <= FollowUpWindow;
    }

    /// <inheritdoc />
    public override string Describe() => AfterTimeout
        ? $"worker {Kill.Pid} SIGKILLed by Gunicorn after its WORKER TIMEOUT"
        : $"worker {Kill.Pid} SIGKILLed with no WORKER TIMEOUT before it";

    private static bool Precedes(SourceLocation first, SourceLocation second) =>
        first.Source == second.Source && first.Line < second.Line;
}
