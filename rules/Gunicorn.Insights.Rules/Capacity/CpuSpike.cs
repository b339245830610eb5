using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// Readings for GI2007: which saturated CPU samples are Gunicorn computing (not another process, not I/O wait), and
/// whether requests suffered.
/// </summary>
internal static class CpuSpike
{
    /// <summary>
    /// Describes the saturated samples that show Gunicorn (or the whole host) computing, or null when there are none:
    /// samples of other named processes (a database) and samples dominated by I/O wait do not count.
    /// </summary>
    public static Symptom Busy(IReadOnlyList<CpuUsage> samples)
    {
        var busy = samples.Where(s => CpuSaturation.IsSaturated(s) && IsGunicornOrHost(s) && !IsMostlyIoWait(s)).ToArray();
        if (busy.Length == 0)
        {
            return Symptom.Unknown;
        }

        var parts = new List<string>();
        var processes = busy.Where(s => s.Pid is not null).ToArray();
        if (processes.Length > 0)
        {
            var peak = processes.MaxBy(s => s.Utilization)!;
            var pids = processes.Select(s => s.Pid!.Value).Distinct().ToArray();
            var name = peak.ProcessName is { } process ? $" ({process})" : "";
            parts.Add(pids.Length == 1
                ? string.Create(CultureInfo.InvariantCulture, $"pid {pids[0]}{name} at {peak.Utilization} of a core")
                : string.Create(CultureInfo.InvariantCulture, $"{pids.Length} Gunicorn processes (pids {string.Join(", ", pids.Take(5))}) at up to {peak.Utilization} of a core"));
        }

        var host = busy.Where(s => s.Pid is null).ToArray();
        if (host.Length > 0)
        {
            var hostSamples = samples.Count(s => s.Pid is null);
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"host CPU at up to {host.Max(s => s.Utilization)} in {host.Length} of {hostSamples} sample(s)"));
        }

        return new Symptom(SymptomVerdict.Found, string.Join("; ", parts), busy);
    }

    /// <summary>Whether requests suffered: worker timeouts, or a P95 above GI2007's limit over enough requests.</summary>
    public static Symptom Suffering(IReadOnlyList<RequestDurationHistogram> histograms, IReadOnlyList<WorkerTimeouts> timeouts, RuleParameters parameters)
    {
        var descriptor = CapacityDescriptors.CpuSpikeSlowsRequests;
        var parts = new List<string>();
        var evidence = new List<object>();
        var histogram = CapacityFacts.Largest(histograms);
        var enough = histogram is not null && histogram.Count >= parameters.Integer(descriptor, "min-requests");
        if (enough && histogram!.Percentile(0.95) is { } p95 && p95 >= parameters.Duration(descriptor, "p95-limit"))
        {
            parts.Add($"the P95 request duration was {CapacityFacts.Duration(p95)} over {CapacityFacts.Requests(histogram.Count)} requests");
            evidence.Add(histogram);
        }

        if (timeouts.Count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"Gunicorn logged {timeouts.Sum(t => t.Count)} WORKER TIMEOUT line(s)"));
            evidence.AddRange(timeouts);
        }

        if (parts.Count > 0)
        {
            return new Symptom(SymptomVerdict.Found, string.Join(" and ", parts), evidence);
        }

        return histogram is null ? Symptom.Unknown
            : enough ? new Symptom(SymptomVerdict.Absent, "", [histogram])
            : new Symptom(SymptomVerdict.TooFew, $"the request-duration histogram holds only {CapacityFacts.Requests(histogram.Count)} requests", [histogram]);
    }

    private static bool IsGunicornOrHost(CpuUsage sample) =>
        sample.Pid is null || sample.ProcessName is not { } name
        || name.Contains("gunicorn", StringComparison.OrdinalIgnoreCase)
        || name.Contains("python", StringComparison.OrdinalIgnoreCase)
        || name.Contains("uvicorn", StringComparison.OrdinalIgnoreCase);

    private static bool IsMostlyIoWait(CpuUsage sample) => sample.IoWait is { } wait && wait.Value >= sample.Utilization.Value / 2;
}
