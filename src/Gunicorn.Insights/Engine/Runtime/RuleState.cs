using Gunicorn.Insights.Engine.Compilation;

namespace Gunicorn.Insights.Engine.Runtime;

/// <summary>One rule's state in one session: its live matches, those waiting to fire, and what it has seen.</summary>
internal sealed class RuleState(CompiledRule rule, bool enabled)
{
    public CompiledRule Rule { get; } = rule;

    /// <summary>False when the rule only reports and the user turned all its diagnoses off: it is never evaluated.</summary>
    public bool Enabled { get; } = enabled;

    public Dictionary<MatchKey, Activation> Activations { get; } = [];

    /// <summary>Matches waiting to fire, in evaluation order.</summary>
    public Queue<Activation> Pending { get; set; } = new();

    /// <summary>The working-memory stamp of the rule's fact types when it was last evaluated.</summary>
    public long Stamp { get; set; } = -1;

    /// <summary>The change counter when staleness was last checked.</summary>
    public long CheckedAt { get; set; } = -1;

    public RuleFault? Fault { get; set; }
}
