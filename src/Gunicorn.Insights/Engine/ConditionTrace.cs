namespace Gunicorn.Insights.Engine;

/// <summary>
/// How one element of a rule's left-hand side fared against working memory: how many partial matches reached it and
/// how many it let through, so a rule that stayed silent can say which condition stopped it.
/// </summary>
public sealed record ConditionTrace
{
    /// <summary>The element's position in the rule, from 0.</summary>
    public required int Position { get; init; }

    /// <summary>What the element asks.</summary>
    public required ConditionKind Kind { get; init; }

    /// <summary>The fact type the element reads; null for <see cref="ConditionKind.Let"/> and <see cref="ConditionKind.Having"/>.</summary>
    public Type? FactType { get; init; }

    /// <summary>The element's conditions as written (rule variables by name); empty when any fact of the type will do.</summary>
    public required IReadOnlyList<string> Conditions { get; init; }

    /// <summary>Facts of <see cref="FactType"/> in working memory.</summary>
    public int FactsOfType { get; init; }

    /// <summary>Of those, the facts that pass the element's conditions on the fact alone (before any join).</summary>
    public int FactsPassingOwnConditions { get; init; }

    /// <summary>Partial matches that reached the element.</summary>
    public long MatchesIn { get; init; }

    /// <summary>Partial matches the element let through to the next one.</summary>
    public long MatchesOut { get; init; }

    /// <summary>The rules whose conclusions insert facts of <see cref="FactType"/>: when it has none, look at theirs.</summary>
    public IReadOnlyList<string> DerivedBy { get; init; } = [];

    /// <summary>Whether the element let at least one partial match through.</summary>
    public bool Held => MatchesOut > 0;
}
