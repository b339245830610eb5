using System.Globalization;

namespace Gunicorn.Insights.Observations.Logs;

/// <summary>
/// How often one kind of log line was seen in an input: the count, the first and last time, the worker pids involved,
/// and a few example lines with their locations.
/// </summary>
public sealed record LogSignature : Observation
{
    /// <summary>Creates a signature summary; <paramref name="examples"/> must hold at least one line.</summary>
    public LogSignature(LogSignatureKind kind, long count, IReadOnlyList<LogExample> examples)
        : base(FirstLocation(examples))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Kind = kind;
        Count = count;
        Examples = examples;
    }

    /// <summary>The kind of line.</summary>
    public LogSignatureKind Kind { get; init; }

    /// <summary>How many lines of this kind were seen.</summary>
    public long Count { get; init; }

    /// <summary>When the first one was logged, if the lines carry times.</summary>
    public DateTimeOffset? FirstSeen { get; init; }

    /// <summary>When the last one was logged, if the lines carry times.</summary>
    public DateTimeOffset? LastSeen { get; init; }

    /// <summary>The worker pids the lines name, in order of first appearance.</summary>
    public IReadOnlyList<int> Pids { get; init; } = [];

    /// <summary>The lines counted per interval, when the lines carry times (for trends and runs).</summary>
    public CountTimeline? Timeline { get; init; }

    /// <summary>A few example lines with their locations, the first one first.</summary>
    public IReadOnlyList<LogExample> Examples { get; init; }

    /// <summary>The time between the first and the last line, when both are known.</summary>
    public TimeSpan? Span => FirstSeen is { } first && LastSeen is { } last ? last - first : null;

    /// <inheritdoc />
    public override string Describe()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Kind} × {Count}");
        if (Pids.Count > 0)
        {
            text += $" (pids {string.Join(", ", Pids.Take(5))}{(Pids.Count > 5 ? ", …" : "")})";
        }

        if (FirstSeen is { } first && LastSeen is { } last)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" from {first:yyyy-MM-dd HH:mm:ss zzz} to {last:yyyy-MM-dd HH:mm:ss zzz}");
        }

        return text + $": {Examples[0].Text}";
    }

    private static SourceLocation FirstLocation(IReadOnlyList<LogExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return examples.Count > 0 ? examples[0].Location : throw new ArgumentException("A signature needs at least one example line.", nameof(examples));
    }
}
