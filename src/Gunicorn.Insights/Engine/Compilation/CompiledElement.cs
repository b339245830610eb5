using System.Linq.Expressions;

namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>
/// A condition element rewritten to expressions over the candidate fact and the match's slots. The expressions are
/// compiled to delegates on first use: building a rule set stays cheap, and conditions no session reaches (elements
/// after one that never matches, or a factory only asked for its rules) are never compiled.
/// </summary>
internal sealed class CompiledElement
{
    private ElementDelegates? _delegates;
    private IReadOnlyList<string>? _conditionTexts;

    public required ConditionKind Kind { get; init; }

    /// <summary>The element's position in its rule.</summary>
    public required int Position { get; init; }

    /// <summary>A number unique across the session factory, used to key per-session caches.</summary>
    public required int GlobalIndex { get; init; }

    public Type? FactType { get; init; }

    /// <summary>The slot the element binds, or -1.</summary>
    public int Slot { get; init; } = -1;

    /// <summary>Conditions on the fact alone, as expressions.</summary>
    public Expression<Func<object, bool>>[] AlphaExpressions { get; init; } = [];

    /// <summary>Conditions that also read earlier variables, as expressions.</summary>
    public Expression<Func<object, object?[], bool>>[] BetaExpressions { get; init; } = [];

    /// <summary>The fact side of an equality join, as an expression.</summary>
    public Expression<Func<object, object?>>? FactKeyExpression { get; init; }

    /// <summary>The earlier-variables side of an equality join, as an expression.</summary>
    public Expression<Func<object?[], object?>>? MatchKeyExpression { get; init; }

    /// <summary>An aggregate's per-fact value or a Let's value, as an expression.</summary>
    public Expression<Func<object, object?[], object?>>? SelectorExpression { get; init; }

    /// <summary>Tests over variables (Having), as expressions.</summary>
    public Expression<Func<object?[], bool>>[] TestExpressions { get; init; } = [];

    /// <summary>Conditions on the fact alone: evaluated once per fact, cached between evaluations.</summary>
    public Func<object, bool>[] Alpha => Delegates.Alpha;

    /// <summary>Conditions that also read earlier variables.</summary>
    public Func<object, object?[], bool>[] Beta => Delegates.Beta;

    /// <summary>The fact side of an equality join, used to index the facts.</summary>
    public Func<object, object?>? FactKey => Delegates.FactKey;

    /// <summary>The earlier-variables side of an equality join, used to probe the index.</summary>
    public Func<object?[], object?>? MatchKey => Delegates.MatchKey;

    /// <summary>An aggregate's per-fact value, or a Let's value (with a null fact).</summary>
    public Func<object, object?[], object?>? Selector => Delegates.Selector;

    /// <summary>Tests over variables (Having).</summary>
    public Func<object?[], bool>[] Tests => Delegates.Tests;

    public Aggregator? Aggregator { get; init; }

    /// <summary>The conditions as written, turned into text when an explanation asks for them.</summary>
    public IReadOnlyList<LambdaExpression> WrittenConditions { get; init; } = [];

    /// <summary>The conditions as written, for explanations.</summary>
    public IReadOnlyList<string> ConditionTexts => _conditionTexts ??= [.. WrittenConditions.Select(ConditionText.Of)];

    /// <summary>The compiled delegates; sessions on several threads may race to compile them, and one result wins.</summary>
    public ElementDelegates Delegates => _delegates ?? CompileDelegates();

    private ElementDelegates CompileDelegates()
    {
        var compiled = new ElementDelegates
        {
            Alpha = Array.ConvertAll(AlphaExpressions, e => e.Compile()),
            Beta = Array.ConvertAll(BetaExpressions, e => e.Compile()),
            FactKey = FactKeyExpression?.Compile(),
            MatchKey = MatchKeyExpression?.Compile(),
            Selector = SelectorExpression?.Compile(),
            Tests = Array.ConvertAll(TestExpressions, e => e.Compile()),
        };
        return Interlocked.CompareExchange(ref _delegates, compiled, null) ?? compiled;
    }
}
