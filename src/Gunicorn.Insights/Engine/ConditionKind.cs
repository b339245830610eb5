namespace Gunicorn.Insights.Engine;

/// <summary>What one element of a rule's left-hand side asks of working memory.</summary>
public enum ConditionKind
{
    /// <summary>A fact that matches (each matching fact makes its own partial match).</summary>
    Match,

    /// <summary>No fact matches.</summary>
    Not,

    /// <summary>At least one fact matches.</summary>
    Exists,

    /// <summary>An aggregate (collection, count, sum, minimum, maximum) over the matching facts.</summary>
    Aggregate,

    /// <summary>A value computed from earlier elements.</summary>
    Let,

    /// <summary>A test on earlier elements.</summary>
    Having,
}
