using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// Whether an instance's requests are I/O-bound (GI2002): from an APM breakdown (database and external time against
/// total time), or, without one, from slow requests while the host CPU stays low.
/// </summary>
internal static class IoBoundRequests
{
    /// <summary>Reads the evidence with GI2002's parameters.</summary>
    public static Symptom Assess(IReadOnlyList<ApplicationTiming> timings, IReadOnlyList<RequestDurationHistogram> histograms,
        IReadOnlyList<CpuUsage> hostCpu, RuleParameters parameters)
    {
        var descriptor = CapacityDescriptors.SyncWorkersBlockingOnIo;
        var minRequests = parameters.Integer(descriptor, "min-requests");
        var measured = timings.Where(t => t.Requests > 0 && (t.AverageDatabase is not null || t.AverageExternal is not null)).ToArray();
        if (measured.Length > 0)
        {
            var requests = measured.Sum(t => t.Requests);
            if (requests < minRequests)
            {
                return new Symptom(SymptomVerdict.TooFew,
                    string.Create(CultureInfo.InvariantCulture, $"only {requests} requests have a database/external time breakdown"), measured);
            }

            var total = Average(measured, t => t.AverageTotal);
            var database = Average(measured, t => t.AverageDatabase ?? TimeSpan.Zero);
            var external = Average(measured, t => t.AverageExternal ?? TimeSpan.Zero);
            var share = total > TimeSpan.Zero ? Percentage.FromRatio((database + external) / total) : new Percentage(0);
            var parts = new List<string>();
            if (measured.Any(t => t.AverageDatabase is not null))
            {
                parts.Add($"database {CapacityFacts.Duration(database)}");
            }

            if (measured.Any(t => t.AverageExternal is not null))
            {
                parts.Add($"external calls {CapacityFacts.Duration(external)}");
            }

            var text = string.Create(CultureInfo.InvariantCulture,
                $"{string.Join(" + ", parts)} of {CapacityFacts.Duration(total)} per request ({share}) over {requests} requests");
            return new Symptom(share.Value >= parameters.Number(descriptor, "io-share") ? SymptomVerdict.Found : SymptomVerdict.Absent, text, measured);
        }

        var histogram = CapacityFacts.Largest(histograms);
        if (histogram is null || hostCpu.Count == 0)
        {
            return Symptom.Unknown;
        }

        if (histogram.Count < minRequests)
        {
            return new Symptom(SymptomVerdict.TooFew, $"only {CapacityFacts.Requests(histogram.Count)} requests are in the request-duration histogram", [histogram]);
        }

        var p95 = histogram.Percentile(0.95) ?? TimeSpan.Zero;
        var peak = hostCpu.MaxBy(c => c.Utilization)!;
        var slow = p95 >= parameters.Duration(descriptor, "slow-request");
        var idle = peak.Utilization.Value < parameters.Number(descriptor, "low-cpu");
        return new Symptom(slow && idle ? SymptomVerdict.Found : SymptomVerdict.Absent,
            $"P95 request duration {CapacityFacts.Duration(p95)} over {CapacityFacts.Requests(histogram.Count)} requests while host CPU peaked at {peak.Utilization}",
            [histogram, peak]);
    }

    private static TimeSpan Average(IReadOnlyList<ApplicationTiming> timings, Func<ApplicationTiming, TimeSpan> selector) =>
        TimeSpan.FromTicks((long)Math.Round(timings.Sum(t => t.Requests * (double)selector(t).Ticks) / timings.Sum(t => t.Requests)));
}
