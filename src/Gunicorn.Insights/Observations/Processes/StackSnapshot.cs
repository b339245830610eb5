namespace Gunicorn.Insights.Observations.Processes;

/// <summary>
/// Where one process was at a moment, from <c>py-spy dump</c>, faulthandler or <c>strace</c>: its frames (innermost first)
/// or the system call it was blocked in. It tells a stuck heartbeat (<c>os.fchmod</c>, <c>os.utime</c>) from a blocking
/// socket read or a busy loop.
/// </summary>
public sealed record StackSnapshot : Observation
{
    /// <summary>Creates a stack read at <paramref name="source"/>.</summary>
    public StackSnapshot(int pid, IReadOnlyList<string> frames, SourceLocation source)
        : base(source)
    {
        ArgumentNullException.ThrowIfNull(frames);
        Pid = pid;
        Frames = frames;
    }

    /// <summary>The process id.</summary>
    public int Pid { get; init; }

    /// <summary>The process or thread name (<c>gunicorn: worker [app]</c>, <c>gunicorn: master [app]</c>), when known.</summary>
    public string? ProcessName { get; init; }

    /// <summary>The frames, innermost first, as <c>function (file:line)</c>.</summary>
    public IReadOnlyList<string> Frames { get; init; }

    /// <summary>The system call the process was blocked in (<c>fchmod</c>, <c>recvfrom</c>, <c>fsync</c>), when known.</summary>
    public string? BlockedSystemCall { get; init; }

    /// <summary>How long the system call had been running, when <c>strace -T</c> shows it.</summary>
    public TimeSpan? BlockedFor { get; init; }

    /// <summary>True when the process is Gunicorn's master rather than a worker.</summary>
    public bool IsMaster => ProcessName?.Contains("master", StringComparison.OrdinalIgnoreCase) ?? false;

    /// <summary>True when any frame or the blocked call mentions <paramref name="text"/> (e.g. <c>os.fchmod</c>).</summary>
    public bool Mentions(string text) =>
        (BlockedSystemCall?.Contains(text, StringComparison.Ordinal) ?? false) || Frames.Any(f => f.Contains(text, StringComparison.Ordinal));

    /// <inheritdoc />
    public override string Describe() =>
        $"pid {Pid}{(ProcessName is null ? "" : $" ({ProcessName})")}: "
        + (BlockedSystemCall is { } call ? $"blocked in {call}" : Frames.Count > 0 ? $"in {Frames[0]}" : "no frames");
}
