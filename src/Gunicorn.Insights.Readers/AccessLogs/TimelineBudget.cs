namespace Gunicorn.Insights.Readers.AccessLogs;

/// <summary>Counts the (path, minute) cells the per-path timelines of one input hold, so they can be dropped before memory grows too far.</summary>
internal sealed class TimelineBudget
{
    /// <summary>The most cells kept before per-path timelines are dropped (each is a dictionary entry of about 30 bytes).</summary>
    public const long MaximumCells = 500_000;

    /// <summary>Cells started so far (an upper bound: a minute revisited out of order counts again).</summary>
    public long Cells { get; set; }

    /// <summary>True once the budget is spent.</summary>
    public bool Spent => Cells > MaximumCells;
}
