namespace Gunicorn.Insights.Readers.AccessLogs;

/// <summary>
/// What <see cref="AccessLogLinePlan"/> takes from one line, as slices of the line's bytes: the values the reader counts,
/// checked the way <see cref="AccessLogFormat.TryParseLine(string, out AccessLogEntry?, out string?)"/> checks them.
/// </summary>
internal ref struct AccessLogLineFields
{
    /// <summary>The bracketed <c>%(t)s</c> (28 bytes), or empty when the format has no time.</summary>
    public ReadOnlySpan<byte> Time;

    /// <summary>The status, or −1 when the format has none.</summary>
    public int Status;

    /// <summary>The request time in ticks from the format's duration atom, or −1 when it has none.</summary>
    public long DurationTicks;

    /// <summary>The worker pid from <c>%(p)s</c>, or −1 when the format has none.</summary>
    public int Pid;

    /// <summary>True when the line names a path (see <see cref="Path"/>).</summary>
    public bool HasPath;

    /// <summary>The path without query or fragment, as <see cref="AccessLogEntry.Path"/> would hold it.</summary>
    public ReadOnlySpan<byte> Path;

    /// <summary>The text of the atom the plan was asked to keep (the busy-worker header), or empty.</summary>
    public ReadOnlySpan<byte> Value;
}
