using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Observations.Metrics;

/// <summary>Pages moving between memory and swap, as <c>vmstat</c>'s <c>si</c>/<c>so</c> columns report them; sustained swap-in means the working set does not fit.</summary>
public sealed record SwapActivity : Observation
{
    /// <summary>Creates a swap sample read at <paramref name="source"/>.</summary>
    public SwapActivity(DataRate swapIn, DataRate swapOut, SourceLocation source)
        : base(source)
    {
        SwapIn = swapIn;
        SwapOut = swapOut;
    }

    /// <summary>Memory swapped in from disk.</summary>
    public DataRate SwapIn { get; init; }

    /// <summary>Memory swapped out to disk.</summary>
    public DataRate SwapOut { get; init; }

    /// <summary>The time the rates average over, when known.</summary>
    public TimeSpan? Window { get; init; }

    /// <inheritdoc />
    public override string Describe() => $"swap in {SwapIn}, swap out {SwapOut}";
}
