namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>Binds how many facts matched (0 when none).</summary>
internal sealed class CountAggregator : Aggregator
{
    public override bool TryAggregate(List<object> facts, List<object?> values, out object? result)
    {
        result = facts.Count;
        return true;
    }
}
