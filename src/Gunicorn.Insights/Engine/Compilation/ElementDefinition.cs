using System.Linq.Expressions;
using System.Reflection;

namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>One declared condition element, as written.</summary>
internal sealed class ElementDefinition
{
    public required ConditionKind Kind { get; init; }

    /// <summary>The fact type matched (not for Let/Having).</summary>
    public Type? FactType { get; init; }

    /// <summary>The variable the element binds, if any.</summary>
    public FieldInfo? Declaration { get; init; }

    /// <summary>Conditions on the fact (Match/Not/Exists/Aggregate) or on declarations (Having).</summary>
    public IReadOnlyList<LambdaExpression> Conditions { get; init; } = [];

    /// <summary>The aggregate's value selector, or a Let's value.</summary>
    public LambdaExpression? Selector { get; init; }

    /// <summary>How an aggregate folds its matches.</summary>
    public Aggregator? Aggregator { get; init; }
}
