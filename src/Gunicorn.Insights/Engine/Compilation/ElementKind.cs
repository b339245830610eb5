namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>The kinds of condition elements a rule's left-hand side is made of.</summary>
internal enum ElementKind
{
    /// <summary>Binds one fact per match (a join when it refers to earlier declarations).</summary>
    Match,

    /// <summary>Holds when no fact satisfies the conditions.</summary>
    Not,

    /// <summary>Holds when at least one fact satisfies the conditions, without binding it.</summary>
    Exists,

    /// <summary>Binds an aggregate over every fact that satisfies the conditions.</summary>
    Aggregate,

    /// <summary>Binds a value computed from earlier declarations.</summary>
    Let,

    /// <summary>A test over earlier declarations.</summary>
    Having,
}
