using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>An action compiled to a delegate over the match's slots.</summary>
internal sealed class CompiledAction
{
    public required ActionKind Kind { get; init; }

    /// <summary>Report: builds the finding. Yield: builds the fact.</summary>
    public Func<object?[], object>? Build { get; init; }

    /// <summary>Do: runs with the rule context.</summary>
    public Action<IRuleContext, object?[]>? Run { get; init; }

    public InsightDescriptor? Descriptor { get; init; }

    /// <summary>The action runs only for matches where this holds (null: always).</summary>
    public Func<object?[], bool>? Condition { get; init; }
}
