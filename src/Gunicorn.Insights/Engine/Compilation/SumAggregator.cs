using System.Numerics;

namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>Binds the sum of a selected value (its additive identity when nothing matched); works for numbers and <see cref="TimeSpan"/>.</summary>
internal sealed class SumAggregator<TValue> : Aggregator
    where TValue : IAdditionOperators<TValue, TValue, TValue>, IAdditiveIdentity<TValue, TValue>
{
    public override bool UsesSelector => true;

    public override bool TryAggregate(List<object> facts, List<object?> values, out object? result)
    {
        var sum = TValue.AdditiveIdentity;
        foreach (var value in values)
        {
            sum += (TValue)value!;
        }

        result = sum;
        return true;
    }
}
