using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>A rule compiled once per session factory and shared, read-only, by every session.</summary>
internal sealed class CompiledRule
{
    public required Rule Rule { get; init; }

    public required string Name { get; init; }

    public required int Priority { get; init; }

    /// <summary>The rule's position in the rule set: the tie-breaker after priority.</summary>
    public required int Order { get; init; }

    public required CompiledElement[] Elements { get; init; }

    public required CompiledAction[] Actions { get; init; }

    public required int SlotCount { get; init; }

    /// <summary>How many elements are <see cref="ConditionKind.Match"/>: they make a match's identity.</summary>
    public required int MatchedFactCount { get; init; }

    /// <summary>Every fact type the rule's conditions read; a change to one of them makes the rule stale.</summary>
    public required Type[] FactTypes { get; init; }

    /// <summary>The descriptors the rule reports.</summary>
    public required InsightDescriptor[] Descriptors { get; init; }

    /// <summary>The fact types the rule's conclusions yield, so an explanation can point from a missing derived fact to its rule.</summary>
    public required Type[] YieldedTypes { get; init; }

    /// <summary>Compiles every delegate of the rule now instead of when a session first needs it.</summary>
    public void Precompile()
    {
        foreach (var element in Elements)
        {
            _ = element.Delegates;
        }

        foreach (var action in Actions)
        {
            _ = (action.Build, action.Run, action.Condition);
        }
    }

    /// <summary>True when the rule only reports (no Yield, no Do): it can be skipped when all its descriptors are turned off.</summary>
    public bool OnlyReports => Actions.All(a => a.Kind == ActionKind.Report);
}
