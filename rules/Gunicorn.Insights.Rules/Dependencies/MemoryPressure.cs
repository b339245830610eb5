using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Quantities;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>
/// What the memory evidence of one instance shows: swap traffic (<c>vmstat</c> si/so), memory samples (<c>free -m</c>)
/// with little available, and the kernel's OOM-killer lines.
/// </summary>
internal sealed record MemoryPressure
{
    /// <summary>Samples whose swap traffic reached the <c>swap-rate</c> parameter.</summary>
    public required IReadOnlyList<SwapActivity> Swapping { get; init; }

    /// <summary>All swap samples.</summary>
    public required int SwapSamples { get; init; }

    /// <summary>The <c>swap-rate</c> in force.</summary>
    public required DataRate SwapRate { get; init; }

    /// <summary>The <c>min-swap-samples</c> in force.</summary>
    public required long MinimumSwapSamples { get; init; }

    /// <summary>Memory samples with less available than <c>min-available</c>, least available first.</summary>
    public required IReadOnlyList<MemoryUsage> Short { get; init; }

    /// <summary>All memory samples.</summary>
    public required int MemorySamples { get; init; }

    /// <summary>The kernel's OOM-killer lines.</summary>
    public required IReadOnlyList<LogSignature> OomKills { get; init; }

    /// <summary>True when enough samples show swap traffic for it to be sustained.</summary>
    public bool SustainedSwapping => Swapping.Count >= MinimumSwapSamples;

    /// <summary>True when the host was swapping: sustained swap traffic, or swap in use with little memory available.</summary>
    public bool Swaps => SustainedSwapping || Short.Any(m => m.SwapUsed.Bytes > 0);

    /// <summary>True when memory ran short: swapping, little memory available, or the OOM killer at work.</summary>
    public bool Exhausted => Swaps || Short.Count > 0 || OomKills.Count > 0;

    /// <summary>True when there is any memory evidence at all.</summary>
    public bool HasData => SwapSamples > 0 || MemorySamples > 0 || OomKills.Count > 0;

    /// <summary>The facts behind the assessment, for evidence.</summary>
    public IReadOnlyList<object> Evidence => [.. Swapping.Take(3), .. Short.Take(1), .. OomKills];

    /// <summary>
    /// Assesses one instance's samples with the thresholds of GI6007, keeping only those within its <c>window</c> of
    /// the symptoms when both have times.
    /// </summary>
    public static MemoryPressure Assess(IReadOnlyList<SwapActivity> swaps, IReadOnlyList<MemoryUsage> memory, IReadOnlyList<LogSignature> oomKills,
        MemorySymptoms symptoms, RuleParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(swaps);
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(oomKills);
        ArgumentNullException.ThrowIfNull(symptoms);
        ArgumentNullException.ThrowIfNull(parameters);
        var window = parameters.Duration(DependenciesDescriptors.MemorySwapping, "window");
        var (first, last) = symptoms.Span;
        swaps = swaps.Where(s => TimeWindow.Near(s.Timestamp, s.Timestamp, first, last, window)).ToArray();
        memory = memory.Where(m => TimeWindow.Near(m.Timestamp, m.Timestamp, first, last, window)).ToArray();
        oomKills = oomKills.Where(k => TimeWindow.Near(k.FirstSeen, k.LastSeen, first, last, window)).ToArray();
        var rate = DataRate.FromKibibytesPerSecond(parameters.Number(DependenciesDescriptors.MemorySwapping, "swap-rate"));
        var minimumAvailable = new Percentage(parameters.Number(DependenciesDescriptors.MemorySwapping, "min-available"));
        return new MemoryPressure
        {
            Swapping = swaps.Where(s => s.SwapIn.BytesPerSecond + s.SwapOut.BytesPerSecond >= rate.BytesPerSecond).ToArray(),
            SwapSamples = swaps.Count,
            SwapRate = rate,
            MinimumSwapSamples = parameters.Integer(DependenciesDescriptors.MemorySwapping, "min-swap-samples"),
            Short = memory.Where(m => m.Total.Bytes > 0 && Percentage.FromRatio(m.Available.Bytes / (double)m.Total.Bytes) < minimumAvailable)
                .OrderBy(m => m.Available.Bytes / (double)m.Total.Bytes).ToArray(),
            MemorySamples = memory.Count,
            OomKills = oomKills,
        };
    }

    /// <summary>The memory evidence as a message states it.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Swapping.Count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"swap traffic of at least {SwapRate} in {Swapping.Count} of {SwapSamples} sample(s), peak {new DataRate(Swapping.Max(s => s.SwapIn.BytesPerSecond))} in "
                + $"and {new DataRate(Swapping.Max(s => s.SwapOut.BytesPerSecond))} out"));
        }

        if (Short.Count > 0)
        {
            var worst = Short[0];
            parts.Add($"{worst.Available} of {worst.Total} available"
                + (worst.SwapUsed.Bytes > 0 ? $", {worst.SwapUsed} of {worst.SwapTotal} swap used" : ""));
        }

        if (OomKills.Count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"the kernel logged {OomKills.Sum(k => k.Count)} OOM-killer line(s)"));
        }

        return string.Join("; ", parts);
    }
}

/// <summary>
/// What the requests and workers of one instance suffered that memory shortage explains: 504 responses and proxy
/// timeouts, and SIGKILLs with no WORKER TIMEOUT before them. Gunicorn's own follow-up kills after a timeout are not
/// counted: they say nothing about memory.
/// </summary>
internal sealed record MemorySymptoms(IReadOnlyList<LogSignature> GatewayTimeouts, IReadOnlyList<TrafficSummary> Traffic, IReadOnlyList<WorkerKill> OutsideKills)
{
    /// <summary>Responses with status 504, from access-log summaries or 504 signatures (the larger, as both may count the same responses).</summary>
    public long Responses504
    {
        get
        {
            var overall = Traffic.Where(t => t.Path is null).ToArray();
            var logged = (overall.Length > 0 ? overall : Traffic).Sum(t => t.WithStatus(504));
            return Math.Max(logged, GatewayTimeouts.Where(s => s.Kind == LogSignatureKind.Http504).Sum(s => s.Count));
        }
    }

    /// <summary>Proxy lines saying the upstream timed out.</summary>
    public long UpstreamTimeouts => GatewayTimeouts.Where(s => s.Kind == LogSignatureKind.UpstreamTimedOut).Sum(s => s.Count);

    /// <summary>True when the proxy timed out on the application.</summary>
    public bool SlowResponses => Responses504 > 0 || UpstreamTimeouts > 0;

    /// <summary>True when workers were killed from outside Gunicorn.</summary>
    public bool Kills => OutsideKills.Count > 0;

    /// <summary>True when there is any symptom.</summary>
    public bool Any => SlowResponses || Kills;

    /// <summary>The facts behind the symptoms, for evidence.</summary>
    public IReadOnlyList<object> Evidence => [.. GatewayTimeouts, .. Traffic.Where(t => t.WithStatus(504) > 0).Take(3), .. OutsideKills];

    /// <summary>The time the symptoms cover, when any of them has times.</summary>
    public (DateTimeOffset? First, DateTimeOffset? Last) Span =>
        TimeWindow.Span(GatewayTimeouts.SelectMany(s => new[] { s.FirstSeen, s.LastSeen })
            .Concat(Traffic.SelectMany(t => new[] { t.FirstSeen, t.LastSeen }))
            .Concat(OutsideKills.Select(k => k.Kill.Timestamp)));

    /// <summary>Collects the symptoms from one instance's facts.</summary>
    public static MemorySymptoms Of(IReadOnlyList<LogSignature> signatures, IReadOnlyList<TrafficSummary> traffic, IReadOnlyList<WorkerKill> kills) =>
        new(signatures.Where(s => s.Kind is LogSignatureKind.Http504 or LogSignatureKind.UpstreamTimedOut).ToArray(),
            traffic.Where(t => t.WithStatus(504) > 0).ToArray(),
            kills.Where(k => !k.AfterTimeout).ToArray());

    /// <summary>The symptoms as a message states them.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Responses504 > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Responses504} request(s) were answered 504"));
        }

        if (UpstreamTimeouts > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"the proxy logged {UpstreamTimeouts} 'upstream timed out' line(s)"));
        }

        if (Kills)
        {
            var pids = string.Join(", ", OutsideKills.Select(k => k.Kill.Pid).Distinct().Select(p => p.ToString(CultureInfo.InvariantCulture)));
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{OutsideKills.Count} worker(s) (pids {pids}) were sent SIGKILL with no WORKER TIMEOUT before them, as the kernel's OOM killer does"));
        }

        return string.Join("; ", parts);
    }
}
