namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>A condition element compiled to delegates over the candidate fact and the match's slots.</summary>
internal sealed class CompiledElement
{
    public required ConditionKind Kind { get; init; }

    /// <summary>The element's position in its rule.</summary>
    public required int Position { get; init; }

    /// <summary>A number unique across the session factory, used to key per-session caches.</summary>
    public required int GlobalIndex { get; init; }

    public Type? FactType { get; init; }

    /// <summary>The slot the element binds, or -1.</summary>
    public int Slot { get; init; } = -1;

    /// <summary>Conditions on the fact alone: evaluated once per fact, cached between evaluations.</summary>
    public Func<object, bool>[] Alpha { get; init; } = [];

    /// <summary>Conditions that also read earlier variables.</summary>
    public Func<object, object?[], bool>[] Beta { get; init; } = [];

    /// <summary>The fact side of an equality join, used to index the facts.</summary>
    public Func<object, object?>? FactKey { get; init; }

    /// <summary>The earlier-variables side of an equality join, used to probe the index.</summary>
    public Func<object?[], object?>? MatchKey { get; init; }

    /// <summary>An aggregate's per-fact value, or a Let's value (with a null fact).</summary>
    public Func<object, object?[], object?>? Selector { get; init; }

    /// <summary>Tests over variables (Having).</summary>
    public Func<object?[], bool>[] Tests { get; init; } = [];

    public Aggregator? Aggregator { get; init; }

    /// <summary>The conditions as written, for explanations.</summary>
    public IReadOnlyList<string> ConditionTexts { get; init; } = [];
}
