namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>Binds the smallest or largest selected value; has no value (the rule does not match) when nothing matched.</summary>
internal sealed class ExtremumAggregator<TValue>(bool largest) : Aggregator
    where TValue : IComparable<TValue>
{
    public override bool UsesSelector => true;

    public override bool TryAggregate(List<object> facts, List<object?> values, out object? result)
    {
        if (values.Count == 0)
        {
            result = null;
            return false;
        }

        var best = (TValue)values[0]!;
        for (var i = 1; i < values.Count; i++)
        {
            var candidate = (TValue)values[i]!;
            var comparison = candidate.CompareTo(best);
            if (largest ? comparison > 0 : comparison < 0)
            {
                best = candidate;
            }
        }

        result = best;
        return true;
    }
}
