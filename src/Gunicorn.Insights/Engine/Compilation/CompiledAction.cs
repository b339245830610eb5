using System.Linq.Expressions;
using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>An action rewritten to expressions over the match's slots, compiled to delegates the first time it fires.</summary>
internal sealed class CompiledAction
{
    private Func<object?[], object>? _build;
    private Action<IRuleContext, object?[]>? _run;
    private Func<object?[], bool>? _condition;

    public required ActionKind Kind { get; init; }

    /// <summary>Report: builds the finding. Yield: builds the fact.</summary>
    public Expression<Func<object?[], object>>? BuildExpression { get; init; }

    /// <summary>Do: runs with the rule context.</summary>
    public Expression<Action<IRuleContext, object?[]>>? RunExpression { get; init; }

    /// <summary>The action runs only for matches where this holds (null: always).</summary>
    public Expression<Func<object?[], bool>>? ConditionExpression { get; init; }

    public InsightDescriptor? Descriptor { get; init; }

    /// <summary>Report: builds the finding. Yield: builds the fact.</summary>
    public Func<object?[], object>? Build => BuildExpression is null ? null : _build ?? Publish(ref _build, BuildExpression.Compile());

    /// <summary>Do: runs with the rule context.</summary>
    public Action<IRuleContext, object?[]>? Run => RunExpression is null ? null : _run ?? Publish(ref _run, RunExpression.Compile());

    /// <summary>The action runs only for matches where this holds (null: always).</summary>
    public Func<object?[], bool>? Condition =>
        ConditionExpression is null ? null : _condition ?? Publish(ref _condition, ConditionExpression.Compile());

    /// <summary>Sessions on several threads may race to compile a delegate; the first one stored wins.</summary>
    private static T Publish<T>(ref T? field, T compiled)
        where T : class =>
        Interlocked.CompareExchange(ref field, compiled, null) ?? compiled;
}
