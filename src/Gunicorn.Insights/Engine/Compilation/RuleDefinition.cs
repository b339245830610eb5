namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>What a rule's <c>Define()</c> declared, before compilation.</summary>
internal sealed class RuleDefinition(Rule rule)
{
    public Rule Rule { get; } = rule;

    public List<ElementDefinition> Elements { get; } = [];

    public List<ActionDefinition> Actions { get; } = [];
}
