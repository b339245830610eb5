namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>The kinds of actions a rule's right-hand side is made of.</summary>
internal enum ActionKind
{
    /// <summary>Run code with the rule context.</summary>
    Do,

    /// <summary>Insert a fact linked to the match: it goes away when the match does.</summary>
    Yield,

    /// <summary>Insert several facts linked to the match.</summary>
    YieldAll,

    /// <summary>Report a diagnosis linked to the match.</summary>
    Report,
}
