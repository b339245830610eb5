namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>Folds the facts an aggregate element matched into the value it binds.</summary>
internal abstract class Aggregator
{
    /// <summary>
    /// The aggregate of <paramref name="facts"/> (with <paramref name="values"/> selected from them when the aggregate
    /// has a selector), or false when it has no value (min/max of nothing).
    /// </summary>
    public abstract bool TryAggregate(List<object> facts, List<object?> values, out object? result);

    /// <summary>Whether the element selects a value per fact.</summary>
    public virtual bool UsesSelector => false;
}
