namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>Binds the sum of a selected value, starting from <paramref name="zero"/> (the result when nothing matched).</summary>
internal sealed class SumAggregator<TValue>(TValue zero, Func<TValue, TValue, TValue> add) : Aggregator
{
    public override bool UsesSelector => true;

    public override bool TryAggregate(List<object> facts, List<object?> values, out object? result)
    {
        var sum = zero;
        foreach (var value in values)
        {
            sum = add(sum, (TValue)value!);
        }

        result = sum;
        return true;
    }
}
