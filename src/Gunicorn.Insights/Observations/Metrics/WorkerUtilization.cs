using System.Globalization;
using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Observations.Metrics;

/// <summary>How many of the Gunicorn workers were busy at a moment (from a busy-worker header, a gauge or process list).</summary>
public sealed record WorkerUtilization : Observation
{
    /// <summary>Creates a sample read at <paramref name="source"/>.</summary>
    public WorkerUtilization(int busy, int total, SourceLocation source)
        : base(source)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(busy);
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        Busy = busy;
        Total = total;
    }

    /// <summary>Workers handling a request.</summary>
    public int Busy { get; init; }

    /// <summary>All workers (× threads for threaded workers).</summary>
    public int Total { get; init; }

    /// <summary>Workers waiting for a request.</summary>
    public int Idle => Math.Max(0, Total - Busy);

    /// <summary>The share of busy workers.</summary>
    public Percentage Utilization => Total == 0 ? new Percentage(0) : Percentage.FromRatio(Busy / (double)Total);

    /// <inheritdoc />
    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Busy} of {Total} workers busy");
}
