namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>Binds the matched facts as an <see cref="IReadOnlyList{T}"/> (empty when none match).</summary>
internal sealed class CollectAggregator<TFact> : Aggregator
{
    public override bool TryAggregate(List<object> facts, List<object?> values, out object? result)
    {
        var items = new TFact[facts.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = (TFact)facts[i];
        }

        result = items;
        return true;
    }
}
