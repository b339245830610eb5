using System.Linq.Expressions;
using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>One declared action, as written.</summary>
internal sealed class ActionDefinition
{
    public required ActionKind Kind { get; init; }

    public required LambdaExpression Expression { get; init; }

    public InsightDescriptor? Descriptor { get; init; }

    /// <summary>A test over the match; the action runs only where it holds.</summary>
    public LambdaExpression? Condition { get; init; }
}
