namespace Gunicorn.Insights.Engine;

/// <summary>
/// Orders a rule's activations against other rules': a higher priority fires first. Rules that derive shared facts
/// usually carry a higher priority than the rules that match them, so the facts exist before those rules fire.
/// </summary>
/// <param name="value">The priority; the default for rules without the attribute is 0.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PriorityAttribute(int value) : Attribute
{
    /// <summary>The priority.</summary>
    public int Value { get; } = value;
}
