using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// GI2005: "Single Gunicorn worker insufficient for production without benchmarking" — the instance runs one worker
/// (often Gunicorn's default) and serves production traffic or shows saturation, worker timeouts or high latency.
/// Instances started with <c>--reload</c> are development setups and never match.
/// </summary>
public sealed class SingleWorkerInProductionRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<HostFacts> hosts = null!;
        IReadOnlyList<WorkerPoolSaturation> saturations = null!;
        IReadOnlyList<WorkerTimeouts> timeouts = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        IReadOnlyList<TrafficSummary> traffic = null!;
        Symptom symptom = null!;

        When()
            .Match(() => configuration, c => !CapacityFacts.Reloads(c))
            .Match(() => parameters)
            .Collect(() => hosts, (HostFacts h) => h.Instance == configuration.Instance)
            .Having(() => configuration.WorkerCount(CapacityFacts.CpuCount(hosts)) == 1)
            .Collect(() => saturations, (WorkerPoolSaturation s) => s.Instance == configuration.Instance)
            .Collect(() => timeouts, (WorkerTimeouts t) => t.Instance == configuration.Instance)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == configuration.Instance)
            .Collect(() => traffic, (TrafficSummary t) => t.Instance == configuration.Instance, t => t.Path == null)
            .Let(() => symptom, () => Evidence(saturations, timeouts, histograms, traffic, parameters))
            .Having(() => symptom.IsFound);
        Then()
            .Report(CapacityDescriptors.SingleWorkerInProduction, () => Finding
                .Of(Origin(configuration), symptom.Text, Recommendation(CapacityFacts.CpuCount(hosts)))
                .Because(configuration[GunicornSettingCatalog.Workers.Name], symptom.Evidence, CapacityFacts.CpuSource(hosts))
                .Recommending(WorkerCount(configuration, CapacityFacts.CpuCount(hosts))));
    }

    /// <summary>(2 × CPU cores) + 1 workers when the CPU count is known; otherwise more than one, as a bound.</summary>
    internal static SettingRecommendation WorkerCount(GunicornConfiguration configuration, int? cpus) =>
        cpus is { } known
            ? Recommendations.Workers(configuration, RecommendationKind.Exactly, known, "(2 × CPU cores) + 1")
            : Recommendations.Gunicorn(configuration, GunicornSettingCatalog.Workers.Name, RecommendationKind.AtLeast, SettingValue.Integer(2),
                "more than one worker; the CPU count was not known");

    /// <summary>How the single worker came about: Gunicorn's default, WEB_CONCURRENCY, or an explicit setting.</summary>
    internal static string Origin(GunicornConfiguration configuration)
    {
        var workers = configuration[GunicornSettingCatalog.Workers.Name];
        return workers.IsDefault ? "Gunicorn's default: neither workers (-w) nor WEB_CONCURRENCY is set"
            : workers.WrittenAs == "WEB_CONCURRENCY" ? "WEB_CONCURRENCY=1"
            : $"set with {workers.WrittenAs}";
    }

    /// <summary>The worker count to start benchmarking from.</summary>
    internal static string Recommendation(int? cpus) => cpus is { } count
        ? string.Create(CultureInfo.InvariantCulture, $"-w {WorkerShortage.Recommended(count)} ((2 × {count} CPU cores) + 1) as the starting point")
        : "-w 4 or (2 × CPU cores) + 1 as the starting point (the CPU count is unknown; nproc shows it)";

    /// <summary>What shows the instance is not a development box: load, timeouts, latency or traffic.</summary>
    internal static Symptom Evidence(IReadOnlyList<WorkerPoolSaturation> saturations, IReadOnlyList<WorkerTimeouts> timeouts,
        IReadOnlyList<RequestDurationHistogram> histograms, IReadOnlyList<TrafficSummary> traffic, RuleParameters parameters)
    {
        var descriptor = CapacityDescriptors.SingleWorkerInProduction;
        var reasons = new List<string>();
        var evidence = new List<object>();
        if (saturations.Count > 0)
        {
            reasons.Add($"it was saturated ({CapacityFacts.Describe(saturations[0])})");
            evidence.Add(saturations[0]);
        }

        if (timeouts.Count > 0)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"Gunicorn logged {timeouts.Sum(t => t.Count)} WORKER TIMEOUT line(s)"));
            evidence.AddRange(timeouts);
        }

        var histogram = CapacityFacts.Largest(histograms);
        if (histogram is not null && histogram.Count >= parameters.Integer(descriptor, "min-requests")
            && histogram.Percentile(0.95) is { } p95 && p95 >= parameters.Duration(descriptor, "p95-limit"))
        {
            reasons.Add($"the P95 request duration was {CapacityFacts.Duration(p95)} over {CapacityFacts.Requests(histogram.Count)} requests");
            evidence.Add(histogram);
        }

        var busiest = traffic.OrderByDescending(t => t.Requests).FirstOrDefault();
        if (busiest is not null && busiest.Requests >= parameters.Integer(descriptor, "production-requests"))
        {
            var rate = busiest.RequestsPerSecond is { } perSecond
                ? $" ({CapacityFacts.Requests(Math.Round(perSecond, 1))} per second)"
                : "";
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"the {busiest.Logger} access log shows {busiest.Requests} requests{rate}"));
            evidence.Add(busiest);
        }

        return reasons.Count == 0 ? Symptom.Unknown : new Symptom(SymptomVerdict.Found, string.Join(", and ", reasons), evidence);
    }
}
