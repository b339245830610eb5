using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Logs;

namespace Gunicorn.Insights.Readers.Accumulation;

/// <summary>
/// Counts the lines of one signature kind in one input with bounded memory: the count, first and last time, up to
/// <see cref="MaximumPids"/> distinct pids, the first <see cref="MaximumExamples"/> lines, and counts per minute for
/// trends.
/// </summary>
public sealed class LogSignatureAccumulator(LogSignatureKind kind)
{
    /// <summary>How many example lines are kept.</summary>
    public const int MaximumExamples = 3;

    /// <summary>How many distinct pids are kept.</summary>
    public const int MaximumPids = 1000;

    /// <summary>The longest example line kept, in characters.</summary>
    public const int MaximumExampleLength = 500;

    private readonly List<LogExample> _examples = [];
    private readonly List<int> _pids = [];
    private readonly HashSet<int> _seenPids = [];
    private readonly TimelineAccumulator _timeline = new();

    /// <summary>The kind counted.</summary>
    public LogSignatureKind Kind { get; } = kind;

    /// <summary>How many lines were added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one line.</summary>
    public void Add(SourceLocation location, string text, DateTimeOffset? timestamp, int? pid)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(text);
        Count++;
        if (_examples.Count < MaximumExamples)
        {
            _examples.Add(new LogExample(location, text.Length > MaximumExampleLength ? text[..MaximumExampleLength] + "…" : text));
        }

        if (pid is { } p && _pids.Count < MaximumPids && _seenPids.Add(p))
        {
            _pids.Add(p);
        }

        if (timestamp is { } t)
        {
            _timeline.Add(t);
        }
    }

    /// <summary>The signature, or null when no line was added.</summary>
    public LogSignature? ToSignature() => Count == 0
        ? null
        : new LogSignature(Kind, Count, _examples.ToArray())
        {
            Pids = _pids.ToArray(),
            FirstSeen = _timeline.First,
            LastSeen = _timeline.Last,
            Timestamp = _timeline.First,
            Timeline = _timeline.ToTimeline(),
        };
}
