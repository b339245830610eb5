namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>Binds the total of a selected duration (zero when nothing matched).</summary>
internal sealed class DurationSumAggregator : Aggregator
{
    public override bool UsesSelector => true;

    public override bool TryAggregate(List<object> facts, List<object?> values, out object? result)
    {
        var total = TimeSpan.Zero;
        foreach (var value in values)
        {
            total += (TimeSpan)value!;
        }

        result = total;
        return true;
    }
}
