using System.Linq.Expressions;
using System.Numerics;
using System.Reflection;
using Gunicorn.Insights.Engine.Compilation;

namespace Gunicorn.Insights.Engine;

/// <summary>
/// The conditions of a rule, declared in order. Each element may refer to the variables bound by the elements
/// before it; an equality between the matched fact and an earlier variable (<c>s => s.Instance == config.Instance</c>)
/// becomes a hash join, so joins stay linear in the number of facts.
/// </summary>
public sealed class LeftHandSide
{
    private readonly List<ElementDefinition> _elements;
    private readonly string _ruleName;

    internal LeftHandSide(List<ElementDefinition> elements, string ruleName)
    {
        _elements = elements;
        _ruleName = ruleName;
    }

    /// <summary>Matches one fact of <typeparamref name="TFact"/> per match and binds it to <paramref name="alias"/>.</summary>
    /// <param name="alias">The variable to bind, e.g. <c>() => config</c>.</param>
    /// <param name="conditions">Conditions on the fact; they may refer to earlier variables.</param>
    public LeftHandSide Match<TFact>(Expression<Func<TFact>> alias, params Expression<Func<TFact, bool>>[] conditions) =>
        Add(new ElementDefinition
        {
            Kind = ConditionKind.Match,
            FactType = typeof(TFact),
            Declaration = DeclaredField(alias),
            Conditions = conditions,
        });

    /// <summary>Matches one fact of <typeparamref name="TFact"/> per match without binding it.</summary>
    public LeftHandSide Match<TFact>(params Expression<Func<TFact, bool>>[] conditions) =>
        Add(new ElementDefinition { Kind = ConditionKind.Match, FactType = typeof(TFact), Conditions = conditions });

    /// <summary>Holds when no fact of <typeparamref name="TFact"/> satisfies the conditions.</summary>
    public LeftHandSide Not<TFact>(params Expression<Func<TFact, bool>>[] conditions) =>
        Add(new ElementDefinition { Kind = ConditionKind.Not, FactType = typeof(TFact), Conditions = conditions });

    /// <summary>Holds when at least one fact of <typeparamref name="TFact"/> satisfies the conditions (the rule fires once, not per fact).</summary>
    public LeftHandSide Exists<TFact>(params Expression<Func<TFact, bool>>[] conditions) =>
        Add(new ElementDefinition { Kind = ConditionKind.Exists, FactType = typeof(TFact), Conditions = conditions });

    /// <summary>Binds every fact of <typeparamref name="TFact"/> that satisfies the conditions, in insertion order (possibly none).</summary>
    public LeftHandSide Collect<TFact>(Expression<Func<IReadOnlyList<TFact>>> alias, params Expression<Func<TFact, bool>>[] conditions) =>
        Add(new ElementDefinition
        {
            Kind = ConditionKind.Aggregate,
            FactType = typeof(TFact),
            Declaration = DeclaredField(alias),
            Conditions = conditions,
            Aggregator = new CollectAggregator<TFact>(),
        });

    /// <summary>Binds how many facts of <typeparamref name="TFact"/> satisfy the conditions (possibly 0).</summary>
    public LeftHandSide Count<TFact>(Expression<Func<int>> alias, params Expression<Func<TFact, bool>>[] conditions) =>
        Add(new ElementDefinition
        {
            Kind = ConditionKind.Aggregate,
            FactType = typeof(TFact),
            Declaration = DeclaredField(alias),
            Conditions = conditions,
            Aggregator = new CountAggregator(),
        });

    /// <summary>Binds the sum of <paramref name="selector"/> over the facts that satisfy the conditions (zero for none).</summary>
    public LeftHandSide Sum<TFact, TValue>(Expression<Func<TValue>> alias, Expression<Func<TFact, TValue>> selector,
        params Expression<Func<TFact, bool>>[] conditions)
        where TValue : IAdditionOperators<TValue, TValue, TValue>, IAdditiveIdentity<TValue, TValue> =>
        Aggregate(alias, selector, conditions, new SumAggregator<TValue>(TValue.AdditiveIdentity, static (a, b) => a + b));

    /// <summary>Binds the total of a duration <paramref name="selector"/> over the facts that satisfy the conditions (zero for none).</summary>
    public LeftHandSide Sum<TFact>(Expression<Func<TimeSpan>> alias, Expression<Func<TFact, TimeSpan>> selector,
        params Expression<Func<TFact, bool>>[] conditions) =>
        Aggregate(alias, selector, conditions, new SumAggregator<TimeSpan>(TimeSpan.Zero, static (a, b) => a + b));

    /// <summary>Binds the smallest <paramref name="selector"/> value; the rule does not match when no fact does.</summary>
    public LeftHandSide Min<TFact, TValue>(Expression<Func<TValue>> alias, Expression<Func<TFact, TValue>> selector,
        params Expression<Func<TFact, bool>>[] conditions)
        where TValue : IComparable<TValue> =>
        Aggregate(alias, selector, conditions, new ExtremumAggregator<TValue>(largest: false));

    /// <summary>Binds the largest <paramref name="selector"/> value; the rule does not match when no fact does.</summary>
    public LeftHandSide Max<TFact, TValue>(Expression<Func<TValue>> alias, Expression<Func<TFact, TValue>> selector,
        params Expression<Func<TFact, bool>>[] conditions)
        where TValue : IComparable<TValue> =>
        Aggregate(alias, selector, conditions, new ExtremumAggregator<TValue>(largest: true));

    /// <summary>Binds a value computed from earlier variables, e.g. <c>Let(() => p99, () => histogram.Percentile(0.99))</c>.</summary>
    public LeftHandSide Let<TValue>(Expression<Func<TValue>> alias, Expression<Func<TValue>> value) =>
        Add(new ElementDefinition { Kind = ConditionKind.Let, Declaration = DeclaredField(alias), Selector = value });

    /// <summary>Holds when every condition over earlier variables holds, e.g. <c>Having(() => timeouts.Count >= 3)</c>.</summary>
    public LeftHandSide Having(params Expression<Func<bool>>[] conditions) =>
        Add(new ElementDefinition { Kind = ConditionKind.Having, Conditions = conditions });

    private LeftHandSide Aggregate<TFact, TValue>(Expression<Func<TValue>> alias, Expression<Func<TFact, TValue>> selector,
        Expression<Func<TFact, bool>>[] conditions, Aggregator aggregator)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return Add(new ElementDefinition
        {
            Kind = ConditionKind.Aggregate,
            FactType = typeof(TFact),
            Declaration = DeclaredField(alias),
            Conditions = conditions,
            Selector = selector,
            Aggregator = aggregator,
        });
    }

    private LeftHandSide Add(ElementDefinition element)
    {
        if (element.Conditions.Any(c => c is null))
        {
            throw new RuleDefinitionException($"Rule '{_ruleName}' has a null condition.");
        }

        _elements.Add(element);
        return this;
    }

    private FieldInfo DeclaredField(LambdaExpression alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        if (alias.Body is MemberExpression { Member: FieldInfo field, Expression: ConstantExpression or null })
        {
            if (_elements.Any(e => e.Declaration == field))
            {
                throw new RuleDefinitionException($"Rule '{_ruleName}' binds '{field.Name}' twice.");
            }

            return field;
        }

        throw new RuleDefinitionException(
            $"Rule '{_ruleName}': a binding must name a local variable, e.g. () => config; found '{alias.Body}'.");
    }
}
