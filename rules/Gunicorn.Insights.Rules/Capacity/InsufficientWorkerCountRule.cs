using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// GI2003: "Insufficient Gunicorn workers cause unpredictable response times" — between 2 workers and fewer than
/// (2 × CPU cores) + 1 on a host whose CPU count is known, with a saturated pool or a large P99/P50 ratio, and CPUs
/// that are not themselves saturated. A single worker is GI2005's case.
/// </summary>
public sealed class InsufficientWorkerCountRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<HostFacts> hosts = null!;
        IReadOnlyList<WorkerPoolSaturation> saturations = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        int cpus = 0;
        int? workers = null;
        Symptom symptom = null!;

        When()
            .Match(() => configuration)
            .Match(() => parameters)
            .Collect(() => hosts, (HostFacts h) => h.Instance == configuration.Instance)
            .Having(() => CapacityFacts.CpuCount(hosts) != null)
            .Let(() => cpus, () => CapacityFacts.CpuCount(hosts)!.Value)
            .Let(() => workers, () => configuration.WorkerCount(cpus))
            .Having(() => workers != null && workers >= 2 && workers < WorkerShortage.Recommended(cpus))
            .Not<CpuSaturation>(c => c.Instance == configuration.Instance)
            .Collect(() => saturations, (WorkerPoolSaturation s) => s.Instance == configuration.Instance)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == configuration.Instance)
            .Let(() => symptom, () => WorkerShortage.Assess(saturations, histograms, parameters))
            .Having(() => symptom.IsFound);
        Then()
            .Report(CapacityDescriptors.InsufficientWorkerCount, () => Finding
                .Of(workers, WorkerShortage.Origin(configuration), cpus, WorkerShortage.Recommended(cpus), symptom.Text)
                .Because(configuration[GunicornSettingCatalog.Workers.Name], CapacityFacts.CpuSource(hosts), symptom.Evidence)
                .Recommending(Recommendations.Workers(configuration, RecommendationKind.Exactly, cpus, "(2 × CPU cores) + 1")));
    }
}
