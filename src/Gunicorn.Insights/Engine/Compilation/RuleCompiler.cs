using System.Linq.Expressions;
using System.Reflection;
using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>
/// Turns a rule's declared elements and actions into expressions over a slot array, compiled to delegates on first
/// use. Conjunctions are split so that each condition is classified on its own: conditions on the fact alone are cached
/// per fact, and the first equality between the fact and earlier variables becomes a hash-join key.
/// </summary>
internal static class RuleCompiler
{
    private static readonly MethodInfo StringEquality = typeof(string).GetMethod("op_Equality", [typeof(string), typeof(string)])!;

    public static CompiledRule Compile(RuleDefinition definition, int order, ref int elementCounter)
    {
        var rule = definition.Rule;
        var name = rule.Name;
        var slots = new Dictionary<FieldInfo, DeclarationRewriter.Slot>();
        for (var i = 0; i < definition.Elements.Count; i++)
        {
            if (definition.Elements[i].Declaration is { } field)
            {
                slots[field] = new DeclarationRewriter.Slot(slots.Count, i);
            }
        }

        var elements = new CompiledElement[definition.Elements.Count];
        for (var i = 0; i < elements.Length; i++)
        {
            elements[i] = CompileElement(definition.Elements[i], i, elementCounter++, slots, name);
        }

        var actions = definition.Actions.Select(a => CompileAction(a, slots, definition.Elements.Count, name)).ToArray();
        return new CompiledRule
        {
            Rule = rule,
            Name = name,
            Priority = rule.Priority,
            Order = order,
            Elements = elements,
            Actions = actions,
            SlotCount = slots.Count,
            MatchedFactCount = elements.Count(e => e.Kind == ConditionKind.Match),
            FactTypes = elements.Where(e => e.FactType is not null).Select(e => e.FactType!).Distinct().ToArray(),
            Descriptors = actions.Where(a => a.Descriptor is not null).Select(a => a.Descriptor!).Distinct().ToArray(),
            YieldedTypes = definition.Actions.Select(YieldedType).OfType<Type>().Distinct().ToArray(),
        };
    }

    private static Type? YieldedType(ActionDefinition action) => action.Kind switch
    {
        ActionKind.Yield => action.Expression.ReturnType,
        ActionKind.YieldAll => action.Expression.ReturnType.GetGenericArguments().FirstOrDefault(),
        _ => null,
    };

    private static CompiledElement CompileElement(ElementDefinition element, int position, int globalIndex,
        Dictionary<FieldInfo, DeclarationRewriter.Slot> slots, string ruleName)
    {
        var slot = element.Declaration is { } field ? slots[field].Index : -1;
        switch (element.Kind)
        {
            case ConditionKind.Let:
                return new CompiledElement
                {
                    Kind = element.Kind,
                    Position = position,
                    GlobalIndex = globalIndex,
                    Slot = slot,
                    SelectorExpression = Selector(element.Selector!, slots, position, ruleName),
                    WrittenConditions = [element.Selector!],
                };
            case ConditionKind.Having:
                return new CompiledElement
                {
                    Kind = element.Kind,
                    Position = position,
                    GlobalIndex = globalIndex,
                    TestExpressions = element.Conditions
                        .Select(c => Lambda<Func<object?[], bool>>(c.Body, null, slots, position, ruleName, DeclarationRewriter.Tuple))
                        .ToArray(),
                    WrittenConditions = element.Conditions,
                };
        }

        var alpha = new List<Expression<Func<object, bool>>>();
        var beta = new List<Expression<Func<object, object?[], bool>>>();
        Expression<Func<object, object?>>? factKey = null;
        Expression<Func<object?[], object?>>? matchKey = null;
        foreach (var condition in element.Conditions)
        {
            var parameter = condition.Parameters[0];
            foreach (var conjunct in Conjuncts(condition.Body))
            {
                var (body, usage) = DeclarationRewriter.Rewrite(conjunct, parameter, slots, position, ruleName);
                if (usage.UsedSlots.Count == 0)
                {
                    alpha.Add(Expression.Lambda<Func<object, bool>>(body, DeclarationRewriter.Fact));
                    continue;
                }

                if (factKey is null && TryJoinKeys(conjunct, parameter, slots, position, ruleName) is var (fact, match, exact))
                {
                    factKey = fact;
                    matchKey = match;

                    // Where the keys' equality is exactly the expression's (strings, integers, enums), the index does the
                    // test and the condition need not be compiled and run again for every candidate.
                    if (exact)
                    {
                        continue;
                    }
                }

                // Otherwise the equality stays a condition too, so the index only narrows and the semantics are the expression's own.
                beta.Add(Expression.Lambda<Func<object, object?[], bool>>(body, DeclarationRewriter.Fact, DeclarationRewriter.Tuple));
            }
        }

        return new CompiledElement
        {
            Kind = element.Kind,
            Position = position,
            GlobalIndex = globalIndex,
            FactType = element.FactType,
            Slot = slot,
            AlphaExpressions = [.. alpha],
            BetaExpressions = [.. beta],
            FactKeyExpression = factKey,
            MatchKeyExpression = matchKey,
            SelectorExpression = element.Selector is null ? null : Selector(element.Selector, slots, position, ruleName),
            Aggregator = element.Aggregator,
            WrittenConditions = element.Conditions,
        };
    }

    private static CompiledAction CompileAction(ActionDefinition action, Dictionary<FieldInfo, DeclarationRewriter.Slot> slots,
        int elementCount, string ruleName)
    {
        if (action.Kind == ActionKind.Do)
        {
            var context = action.Expression.Parameters[0];
            var (body, _) = DeclarationRewriter.Rewrite(action.Expression.Body, null, slots, elementCount, ruleName);
            var run = Expression.Lambda<Action<IRuleContext, object?[]>>(body, context, DeclarationRewriter.Tuple);
            return new CompiledAction { Kind = action.Kind, RunExpression = run };
        }

        var build = Lambda<Func<object?[], object>>(action.Expression.Body, null, slots, elementCount, ruleName, DeclarationRewriter.Tuple);
        var condition = action.Condition is null
            ? null
            : Lambda<Func<object?[], bool>>(action.Condition.Body, null, slots, elementCount, ruleName, DeclarationRewriter.Tuple);
        return new CompiledAction { Kind = action.Kind, BuildExpression = build, Descriptor = action.Descriptor, ConditionExpression = condition };
    }

    private static Expression<Func<object, object?[], object?>> Selector(LambdaExpression selector,
        Dictionary<FieldInfo, DeclarationRewriter.Slot> slots, int position, string ruleName)
    {
        var own = selector.Parameters.Count == 1 ? selector.Parameters[0] : null;
        var (body, _) = DeclarationRewriter.Rewrite(selector.Body, own, slots, position, ruleName);
        return Expression.Lambda<Func<object, object?[], object?>>(Expression.Convert(body, typeof(object)),
            DeclarationRewriter.Fact, DeclarationRewriter.Tuple);
    }

    private static Expression<TDelegate> Lambda<TDelegate>(Expression body, ParameterExpression? own,
        Dictionary<FieldInfo, DeclarationRewriter.Slot> slots, int visibleBefore, string ruleName, params ParameterExpression[] parameters)
        where TDelegate : Delegate
    {
        var (rewritten, _) = DeclarationRewriter.Rewrite(body, own, slots, visibleBefore, ruleName);
        var returnType = typeof(TDelegate).GetMethod("Invoke")!.ReturnType;
        if (returnType != typeof(void) && rewritten.Type != returnType)
        {
            rewritten = Expression.Convert(rewritten, returnType);
        }

        return Expression.Lambda<TDelegate>(rewritten, parameters);
    }

    /// <summary>The operands of a top-level <c>&amp;&amp;</c> chain, in order.</summary>
    private static IEnumerable<Expression> Conjuncts(Expression body)
    {
        if (body is BinaryExpression { NodeType: ExpressionType.AndAlso } and)
        {
            foreach (var left in Conjuncts(and.Left))
            {
                yield return left;
            }

            foreach (var right in Conjuncts(and.Right))
            {
                yield return right;
            }
        }
        else
        {
            yield return body;
        }
    }

    /// <summary>
    /// Recognises <c>fact-expression == earlier-variables-expression</c> (either way round) with built-in equality,
    /// and returns the two sides as key selectors.
    /// </summary>
    private static (Expression<Func<object, object?>> Fact, Expression<Func<object?[], object?>> Match, bool Exact)? TryJoinKeys(Expression conjunct,
        ParameterExpression parameter, Dictionary<FieldInfo, DeclarationRewriter.Slot> slots, int position, string ruleName)
    {
        if (conjunct is not BinaryExpression { NodeType: ExpressionType.Equal } equal
            || (equal.Method is not null && equal.Method != StringEquality))
        {
            return null;
        }

        var (left, leftUsage) = DeclarationRewriter.Rewrite(equal.Left, parameter, slots, position, ruleName);
        var (right, rightUsage) = DeclarationRewriter.Rewrite(equal.Right, parameter, slots, position, ruleName);
        static bool FactOnly(DeclarationRewriter usage) => usage.UsesOwnParameter && usage.UsedSlots.Count == 0;
        static bool MatchOnly(DeclarationRewriter usage) => !usage.UsesOwnParameter && usage.UsedSlots.Count > 0;

        (Expression Fact, Expression Match)? sides = FactOnly(leftUsage) && MatchOnly(rightUsage) ? (left, right)
            : FactOnly(rightUsage) && MatchOnly(leftUsage) ? (right, left)
            : null;
        if (sides is not var (factSide, matchSide))
        {
            return null;
        }

        var fact = Expression.Lambda<Func<object, object?>>(Expression.Convert(factSide, typeof(object)), DeclarationRewriter.Fact);
        var match = Expression.Lambda<Func<object?[], object?>>(Expression.Convert(matchSide, typeof(object)), DeclarationRewriter.Tuple);
        return (fact, match, factSide.Type == matchSide.Type && HasExactKeyEquality(factSide.Type));
    }

    /// <summary>
    /// True when equal boxed keys (what the index compares) are exactly the values <c>==</c> calls equal: strings,
    /// integers, characters, booleans and enums, and their nullables. Not floating point (NaN), and not reference types
    /// whose <c>Equals</c> may differ from <c>==</c>.
    /// </summary>
    private static bool HasExactKeyEquality(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) || type.IsEnum
            || (type.IsPrimitive && type != typeof(float) && type != typeof(double) && type != typeof(nint) && type != typeof(nuint));
    }
}
