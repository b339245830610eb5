namespace Gunicorn.Insights.Readers.AccessLogs;

/// <summary>One request read from its line's bytes, waiting in a <see cref="CountedLines"/> batch to be counted.</summary>
internal struct CountedLine
{
    /// <summary>The line number.</summary>
    public long Number;

    /// <summary>The request's time, when the format has one and it was kept.</summary>
    public DateTimeOffset? Time;

    /// <summary>The status, or −1.</summary>
    public int Status;

    /// <summary>The request time in ticks, or −1.</summary>
    public long DurationTicks;

    /// <summary>The worker pid from <c>%(p)s</c>, or −1.</summary>
    public int Pid;

    /// <summary>The busy workers of a busy-worker sample, or −1 for none.</summary>
    public int Busy;

    /// <summary>The total workers of the sample.</summary>
    public int Total;

    /// <summary>Where the path starts in the batch's bytes.</summary>
    public int PathStart;

    /// <summary>The path's length, or −1 for no path.</summary>
    public int PathLength;

    /// <summary>Where the line's text (kept for a 5xx signature) starts in the batch's bytes.</summary>
    public int TextStart;

    /// <summary>The text's length, or −1 when not kept.</summary>
    public int TextLength;
}
