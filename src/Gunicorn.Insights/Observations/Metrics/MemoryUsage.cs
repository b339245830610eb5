using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Observations.Metrics;

/// <summary>Memory and swap in use on the host, as <c>free -m</c> or <c>/proc/meminfo</c> report them.</summary>
public sealed record MemoryUsage : Observation
{
    /// <summary>Creates a memory sample read at <paramref name="source"/>.</summary>
    public MemoryUsage(ByteSize total, ByteSize available, SourceLocation source)
        : base(source)
    {
        Total = total;
        Available = available;
    }

    /// <summary>Total memory.</summary>
    public ByteSize Total { get; init; }

    /// <summary>Memory available to new work without swapping (<c>available</c> in <c>free</c>).</summary>
    public ByteSize Available { get; init; }

    /// <summary>Total swap space.</summary>
    public ByteSize SwapTotal { get; init; }

    /// <summary>Swap space in use.</summary>
    public ByteSize SwapUsed { get; init; }

    /// <summary>The share of memory not available.</summary>
    public Percentage Pressure => Total.Bytes == 0 ? new Percentage(0) : Percentage.FromRatio(1 - Available.Bytes / (double)Total.Bytes);

    /// <inheritdoc />
    public override string Describe() =>
        $"memory {Available} available of {Total}" + (SwapTotal.Bytes > 0 ? $", swap {SwapUsed} used of {SwapTotal}" : "");
}
