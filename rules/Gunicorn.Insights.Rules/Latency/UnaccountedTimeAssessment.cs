using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// GI3008's reading of an instance's application timings: transactions whose average total time is mostly outside the
/// CPU, database and external time the agent measured (at least <c>gap-ratio</c> of it, and at least <c>min-gap</c>).
/// </summary>
internal sealed class UnaccountedTimeAssessment
{
    private const int OthersNamed = 3;

    private UnaccountedTimeAssessment()
    {
    }

    /// <summary>True when a transaction with enough requests has a large unaccounted share.</summary>
    public bool Fires => Worst is not null;

    /// <summary>True when only transactions with too few requests have one.</summary>
    public bool Inconclusive => Worst is null && TooFew.Count > 0;

    private ApplicationTiming? Worst { get; init; }

    private List<ApplicationTiming> Others { get; init; } = [];

    private List<ApplicationTiming> TooFew { get; init; } = [];

    private long MinimumRequests { get; init; }

    /// <summary>Reads the timings of one instance.</summary>
    public static UnaccountedTimeAssessment Of(IReadOnlyList<ApplicationTiming> timings, double gapRatio, TimeSpan minimumGap, long minimumRequests)
    {
        var gaps = timings.Where(t => IsLarge(t, gapRatio, minimumGap)).ToList();
        var enough = gaps.Where(t => t.Requests >= minimumRequests)
            .OrderByDescending(t => t.Unaccounted.Ticks * (double)t.Requests).ThenBy(t => t.Transaction, StringComparer.Ordinal)
            .ToList();
        return new UnaccountedTimeAssessment
        {
            Worst = enough.Count > 0 ? enough[0] : null,
            Others = [.. enough.Skip(1)],
            TooFew = [.. gaps.Where(t => t.Requests < minimumRequests).OrderByDescending(t => t.Requests)],
            MinimumRequests = minimumRequests,
        };
    }

    /// <summary>The GI3008 finding for the transaction that loses the most time.</summary>
    public Finding ToFinding()
    {
        var worst = Worst!;
        var others = Others.Count == 0
            ? ""
            : "; also " + string.Join(", ", Others.Take(OthersNamed).Select(o => $"{Name(o)} ({LatencyEvidence.Format(o.Unaccounted)} of {LatencyEvidence.Format(o.AverageTotal)})"))
                + (Others.Count > OthersNamed ? $" and {Others.Count - OthersNamed} more" : "");
        return Finding
            .Of(Capitalised(Name(worst)), worst.Unaccounted, worst.AverageTotal, Share(worst), Measured(worst), worst.Requests, others)
            .Because(worst, Others.Take(OthersNamed));
    }

    /// <summary>The GI0003 finding: a large gap over too few requests.</summary>
    public Finding ToInconclusiveFinding()
    {
        var timing = TooFew[0];
        return Finding
            .Of(LatencyEvidence.Name(LatencyDescriptors.UnaccountedRequestTime),
                $"{Name(timing)} spends {LatencyEvidence.Format(timing.Unaccounted)} of its {LatencyEvidence.Format(timing.AverageTotal)} average outside the measured time, but over only {timing.Requests} requests",
                $"averages over at least {MinimumRequests} requests are needed: export a longer period of transaction data, or lower GI3008.min-requests")
            .Because(timing);
    }

    /// <summary>True when at least one component was measured and the remainder is large in share and in time.</summary>
    private static bool IsLarge(ApplicationTiming timing, double gapRatio, TimeSpan minimumGap) =>
        timing.AverageTotal > TimeSpan.Zero
        && (timing.AverageCpu is not null || timing.AverageDatabase is not null || timing.AverageExternal is not null)
        && timing.Unaccounted >= minimumGap
        && timing.Unaccounted / timing.AverageTotal >= gapRatio;

    private static Percentage Share(ApplicationTiming timing) => Percentage.FromRatio(timing.Unaccounted / timing.AverageTotal);

    private static string Name(ApplicationTiming timing) => timing.Transaction == "*" ? "the application" : $"transaction {timing.Transaction}";

    private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>The measured components, and the ones that were not measured (their time is part of the remainder).</summary>
    private static string Measured(ApplicationTiming timing)
    {
        var parts = new List<string>
        {
            Part("CPU", timing.AverageCpu),
            Part("database", timing.AverageDatabase),
            Part("external calls", timing.AverageExternal),
        };
        return string.Join(", ", parts);
    }

    private static string Part(string name, TimeSpan? value) => value is { } time ? $"{name} {LatencyEvidence.Format(time)}" : $"{name} not measured";
}
