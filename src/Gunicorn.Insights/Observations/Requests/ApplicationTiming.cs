using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Observations.Requests;

/// <summary>
/// Where request time goes inside the application, per transaction (view, endpoint) or overall, as an APM agent
/// (New Relic transaction traces), a profiler (cProfile, Django Debug Toolbar) or the host app measured it: average
/// total time, CPU time, database time and external-call time per request.
/// </summary>
public sealed record ApplicationTiming : Observation
{
    /// <summary>Creates a timing read at <paramref name="source"/>.</summary>
    public ApplicationTiming(string transaction, long requests, TimeSpan averageTotal, SourceLocation source)
        : base(source)
    {
        ArgumentException.ThrowIfNullOrEmpty(transaction);
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        Transaction = transaction;
        Requests = requests;
        AverageTotal = averageTotal;
    }

    /// <summary>The transaction (view, endpoint, <c>*</c> for all).</summary>
    public string Transaction { get; init; }

    /// <summary>How many requests the averages cover.</summary>
    public long Requests { get; init; }

    /// <summary>The average total (wall-clock) time per request.</summary>
    public TimeSpan AverageTotal { get; init; }

    /// <summary>The average CPU time per request, when measured.</summary>
    public TimeSpan? AverageCpu { get; init; }

    /// <summary>The average time in database queries per request, when measured.</summary>
    public TimeSpan? AverageDatabase { get; init; }

    /// <summary>The average time in calls to external services per request, when measured.</summary>
    public TimeSpan? AverageExternal { get; init; }

    /// <summary>The average number of database queries per request, when measured.</summary>
    public double? QueriesPerRequest { get; init; }

    /// <summary>The time not accounted for by CPU, database or external calls (waiting, I/O, locks, the WSGI layer).</summary>
    public TimeSpan Unaccounted =>
        TimeSpan.FromTicks(Math.Max(0, (AverageTotal - (AverageCpu ?? TimeSpan.Zero) - (AverageDatabase ?? TimeSpan.Zero) - (AverageExternal ?? TimeSpan.Zero)).Ticks));

    /// <inheritdoc />
    public override string Describe()
    {
        var parts = new List<string> { $"total {DiagnosisMessage.FormatValue(AverageTotal)}" };
        if (AverageCpu is { } cpu)
        {
            parts.Add($"CPU {DiagnosisMessage.FormatValue(cpu)}");
        }

        if (AverageDatabase is { } database)
        {
            parts.Add($"database {DiagnosisMessage.FormatValue(database)}");
        }

        if (AverageExternal is { } external)
        {
            parts.Add($"external {DiagnosisMessage.FormatValue(external)}");
        }

        return $"{Transaction}: {Requests} requests, per request {string.Join(", ", parts)}";
    }
}
