namespace Gunicorn.Insights.Readers;

/// <summary>What was read from one input: its kind, size, lines and the time span its lines cover.</summary>
/// <param name="Path">The file (or source name).</param>
/// <param name="Kind">What it was read as.</param>
public sealed record InputSummary(string Path, ArtifactKind Kind)
{
    /// <summary>Bytes read (decompressed for <c>.gz</c>).</summary>
    public long Bytes { get; init; }

    /// <summary>Lines read.</summary>
    public long Lines { get; init; }

    /// <summary>How many observations the input produced.</summary>
    public int Observations { get; init; }

    /// <summary>The earliest time its lines carry, if any.</summary>
    public DateTimeOffset? FirstTimestamp { get; init; }

    /// <summary>The latest time its lines carry, if any.</summary>
    public DateTimeOffset? LastTimestamp { get; init; }
}
