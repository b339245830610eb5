using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Observations.Metrics;

/// <summary>CPU utilisation of the host or of one process (a Gunicorn master or worker), as <c>top</c> or a metrics agent saw it.</summary>
public sealed record CpuUsage : Observation
{
    /// <summary>Creates a CPU sample read at <paramref name="source"/>.</summary>
    public CpuUsage(Percentage utilization, SourceLocation source)
        : base(source)
    {
        Utilization = utilization;
    }

    /// <summary>The utilisation: of the whole host (0–100 %), or of one process (100 % is one full core).</summary>
    public Percentage Utilization { get; init; }

    /// <summary>The process measured; null for the whole host.</summary>
    public int? Pid { get; init; }

    /// <summary>The process name (<c>gunicorn: worker [app]</c>), when known.</summary>
    public string? ProcessName { get; init; }

    /// <summary>The share of time the CPUs waited for disk I/O (<c>wa</c> in <c>top</c>/<c>vmstat</c>), host samples only.</summary>
    public Percentage? IoWait { get; init; }

    /// <summary>Processes blocked in uninterruptible I/O (<c>vmstat</c>'s <c>b</c> column), host samples only.</summary>
    public int? BlockedProcesses { get; init; }

    /// <summary>The time the sample averages over, when known.</summary>
    public TimeSpan? Window { get; init; }

    /// <inheritdoc />
    public override string Describe() =>
        Pid is { } pid
            ? $"CPU {Utilization} for pid {pid}{(ProcessName is null ? "" : $" ({ProcessName})")}"
            : $"host CPU {Utilization}{(IoWait is { } wait ? $", iowait {wait}" : "")}{(BlockedProcesses is { } blocked ? $", {blocked} blocked process(es)" : "")}";
}
