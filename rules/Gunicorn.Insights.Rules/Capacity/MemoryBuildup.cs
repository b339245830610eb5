using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>Memory that fell between the first and the last timed sample (GI2008).</summary>
/// <param name="First">The earliest sample.</param>
/// <param name="Last">The latest sample.</param>
internal sealed record MemoryFall(MemoryUsage First, MemoryUsage Last)
{
    /// <summary>The time between the samples.</summary>
    public TimeSpan Span => Last.Timestamp!.Value - First.Timestamp!.Value;

    /// <summary>How much available memory fell, as a share of total memory.</summary>
    public Percentage Fall => Last.Total.Bytes == 0
        ? new Percentage(0)
        : Percentage.FromRatio((First.Available.Bytes - Last.Available.Bytes) / (double)Last.Total.Bytes);
}

/// <summary>Readings for GI2008: concurrency per worker, slow requests and memory trends.</summary>
internal static class MemoryBuildup
{
    /// <summary>The worker class and the setting that bounds its requests in flight, for the message.</summary>
    public static string Concurrency(GunicornConfiguration configuration) =>
        CapacityFacts.IsUvicorn(configuration) ? $"{configuration.EffectiveWorkerClass}, no per-worker limit from Gunicorn"
        : CapacityFacts.IsAsync(configuration) ? string.Create(CultureInfo.InvariantCulture,
            $"{configuration.EffectiveWorkerClass}, worker_connections = {configuration.WorkerConnections}")
        : string.Create(CultureInfo.InvariantCulture, $"{configuration.EffectiveWorkerClass}, threads = {configuration.Threads}");

    /// <summary>How many requests one worker holds at most, for the message.</summary>
    public static string Limit(GunicornConfiguration configuration) =>
        CapacityFacts.ConcurrencyPerWorker(configuration) is var limit && limit == int.MaxValue
            ? "any number of"
            : $"up to {limit.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The worker count, for the message (a formula's text when the CPU count is unknown).</summary>
    public static string Workers(GunicornConfiguration configuration, int? cpus) =>
        configuration.WorkerCount(cpus) is { } count ? count.ToString(CultureInfo.InvariantCulture) : configuration.Workers.Text;

    /// <summary>Whether requests were slow: a P95 (or, without a histogram, an APM average) above GI2008's limit.</summary>
    public static Symptom Slow(IReadOnlyList<RequestDurationHistogram> histograms, IReadOnlyList<ApplicationTiming> timings, RuleParameters parameters)
    {
        var descriptor = CapacityDescriptors.SlowRequestMemoryBuildup;
        var limit = parameters.Duration(descriptor, "slow-request");
        var minRequests = parameters.Integer(descriptor, "min-requests");
        var histogram = CapacityFacts.Largest(histograms);
        if (histogram is not null && histogram.Count >= minRequests)
        {
            return histogram.Percentile(0.95) is { } p95 && p95 >= limit
                ? new Symptom(SymptomVerdict.Found, $"P95 {CapacityFacts.Duration(p95)} over {CapacityFacts.Requests(histogram.Count)} requests", [histogram])
                : new Symptom(SymptomVerdict.Absent, "", [histogram]);
        }

        var measured = timings.Where(t => t.Requests > 0).ToArray();
        var requests = measured.Sum(t => t.Requests);
        if (requests < minRequests)
        {
            return Symptom.Unknown;
        }

        var average = TimeSpan.FromTicks((long)Math.Round(measured.Sum(t => t.Requests * (double)t.AverageTotal.Ticks) / requests));
        return average >= limit
            ? new Symptom(SymptomVerdict.Found,
                string.Create(CultureInfo.InvariantCulture, $"{CapacityFacts.Duration(average)} on average over {requests} requests"), measured)
            : new Symptom(SymptomVerdict.Absent, "", measured);
    }

    /// <summary>The fall of available memory from the first to the last timed sample, when there are two or more times.</summary>
    public static MemoryFall? Fall(IReadOnlyList<MemoryUsage> samples)
    {
        var timed = samples.Where(s => s.Timestamp is not null).OrderBy(s => s.Timestamp).ToArray();
        return timed.Length >= 2 && timed[^1].Timestamp > timed[0].Timestamp ? new MemoryFall(timed[0], timed[^1]) : null;
    }
}
