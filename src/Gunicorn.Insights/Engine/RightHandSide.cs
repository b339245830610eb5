using System.Linq.Expressions;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine.Compilation;

namespace Gunicorn.Insights.Engine;

/// <summary>The actions a rule takes once per distinct match, in the order declared.</summary>
public sealed class RightHandSide
{
    private readonly List<ActionDefinition> _actions;
    private readonly string _ruleName;

    internal RightHandSide(List<ActionDefinition> actions, string ruleName)
    {
        _actions = actions;
        _ruleName = ruleName;
    }

    /// <summary>
    /// Reports a diagnosis of <paramref name="descriptor"/> built from the match, e.g.
    /// <c>() => Finding.Of(config.Timeout, p99).Because(config, histogram)</c>. The diagnosis lives as long as the match.
    /// </summary>
    public RightHandSide Report(InsightDescriptor descriptor, Expression<Func<Finding>> finding)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return Add(new ActionDefinition { Kind = ActionKind.Report, Expression = finding, Descriptor = descriptor });
    }

    /// <summary>
    /// Reports a diagnosis of <paramref name="descriptor"/> only for matches where <paramref name="when"/> holds, so one
    /// rule can report its conclusion, or <c>GI0003</c> when its evidence is too thin, without a second rule repeating its
    /// conditions.
    /// </summary>
    public RightHandSide Report(InsightDescriptor descriptor, Expression<Func<bool>> when, Expression<Func<Finding>> finding)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(when);
        return Add(new ActionDefinition { Kind = ActionKind.Report, Expression = finding, Descriptor = descriptor, Condition = when });
    }

    /// <summary>
    /// Inserts a derived fact built from the match (forward chaining). The fact is linked to the match: it is
    /// updated when the match changes and retracted when the match goes away.
    /// </summary>
    public RightHandSide Yield<TFact>(Expression<Func<TFact>> fact)
        where TFact : class =>
        Add(new ActionDefinition { Kind = ActionKind.Yield, Expression = fact });

    /// <summary>
    /// Inserts every derived fact <paramref name="facts"/> builds from the match, linked to the match like
    /// <see cref="Yield{TFact}"/>: e.g. one effective configuration per instance from all configuration parameters.
    /// </summary>
    public RightHandSide YieldAll<TFact>(Expression<Func<IEnumerable<TFact>>> facts)
        where TFact : class =>
        Add(new ActionDefinition { Kind = ActionKind.YieldAll, Expression = facts });

    /// <summary>Runs <paramref name="action"/> with the rule context.</summary>
    public RightHandSide Do(Expression<Action<IRuleContext>> action) =>
        Add(new ActionDefinition { Kind = ActionKind.Do, Expression = action });

    private RightHandSide Add(ActionDefinition action)
    {
        if (action.Expression is null)
        {
            throw new RuleDefinitionException($"Rule '{_ruleName}' has a null action.");
        }

        _actions.Add(action);
        return this;
    }
}
