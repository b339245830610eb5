using System.Linq.Expressions;
using System.Reflection;

namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>
/// Rewrites a lambda written against a rule's closure variables into one that reads them from the match's slot
/// array, and the lambda's own parameter (the candidate fact) from an <see cref="object"/> parameter. This is what
/// lets one compiled rule serve many sessions on many threads: no closure state is shared at run time.
/// </summary>
internal sealed class DeclarationRewriter : ExpressionVisitor
{
    private readonly IReadOnlyDictionary<FieldInfo, Slot> _slots;
    private readonly ParameterExpression? _ownParameter;
    private readonly Expression? _ownReplacement;
    private readonly int _visibleBefore;
    private readonly string _ruleName;

    private DeclarationRewriter(IReadOnlyDictionary<FieldInfo, Slot> slots, ParameterExpression? ownParameter,
        Expression? ownReplacement, int visibleBefore, string ruleName)
    {
        _slots = slots;
        _ownParameter = ownParameter;
        _ownReplacement = ownReplacement;
        _visibleBefore = visibleBefore;
        _ruleName = ruleName;
    }

    public static ParameterExpression Fact { get; } = Expression.Parameter(typeof(object), "fact");

    public static ParameterExpression Tuple { get; } = Expression.Parameter(typeof(object?[]), "match");

    public HashSet<int> UsedSlots { get; } = [];

    public bool UsesOwnParameter { get; private set; }

    /// <summary>
    /// Rewrites <paramref name="body"/>; <paramref name="ownParameter"/> (the candidate fact, if any) becomes a cast of
    /// <see cref="Fact"/>, and only variables bound by elements before <paramref name="visibleBefore"/> may be used.
    /// </summary>
    public static (Expression Body, DeclarationRewriter Usage) Rewrite(Expression body, ParameterExpression? ownParameter,
        IReadOnlyDictionary<FieldInfo, Slot> slots, int visibleBefore, string ruleName)
    {
        var replacement = ownParameter is null ? null : Expression.Convert(Fact, ownParameter.Type);
        var rewriter = new DeclarationRewriter(slots, ownParameter, replacement, visibleBefore, ruleName);
        return (rewriter.Visit(body), rewriter);
    }

    protected override Expression VisitParameter(ParameterExpression node)
    {
        if (node == _ownParameter)
        {
            UsesOwnParameter = true;
            return _ownReplacement!;
        }

        return base.VisitParameter(node);
    }

    protected override Expression VisitMember(MemberExpression node)
    {
        if (node.Member is FieldInfo field && node.Expression is ConstantExpression or null
            && _slots.TryGetValue(field, out var slot))
        {
            if (slot.DeclaredBy >= _visibleBefore)
            {
                throw new RuleDefinitionException(
                    $"Rule '{_ruleName}' uses '{field.Name}' before the element that binds it.");
            }

            UsedSlots.Add(slot.Index);
            return Expression.Convert(Expression.ArrayIndex(Tuple, Expression.Constant(slot.Index)), field.FieldType);
        }

        return base.VisitMember(node);
    }

    /// <summary>Where a bound variable lives in the match, and which element binds it.</summary>
    internal readonly record struct Slot(int Index, int DeclaredBy);
}
