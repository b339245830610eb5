namespace Gunicorn.Insights.Observations.Logs;

/// <summary>
/// One line about one worker (timeout, signal, exit, boot), kept individually so rules can relate lines of the same
/// pid in time: a SIGKILL a second after a WORKER TIMEOUT of the same pid is Gunicorn's own follow-up kill, not the
/// OOM killer.
/// </summary>
public sealed record WorkerEvent : Observation
{
    /// <summary>Creates the event read at <paramref name="source"/>.</summary>
    public WorkerEvent(LogSignatureKind kind, int pid, string text, SourceLocation source)
        : base(source)
    {
        ArgumentNullException.ThrowIfNull(text);
        Kind = kind;
        Pid = pid;
        Text = text;
    }

    /// <summary>What happened to the worker.</summary>
    public LogSignatureKind Kind { get; init; }

    /// <summary>The worker's pid.</summary>
    public int Pid { get; init; }

    /// <summary>The signal name for signal events (<c>SIGKILL</c>, <c>SIGTERM</c>, <c>SIGABRT</c>), else null.</summary>
    public string? Signal { get; init; }

    /// <summary>The exit code for exit events, else null.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The master's pid, when the line names it.</summary>
    public int? MasterPid { get; init; }

    /// <summary>The line as written.</summary>
    public string Text { get; init; }

    /// <inheritdoc />
    public override string Describe() => Text;
}
