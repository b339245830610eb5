using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// GI0003 for GI2003: the pool shows a symptom of too few workers but the CPU count is unknown, so (2 × CPU cores) + 1
/// cannot be computed; or the workers are fewer than that but too few requests were seen to judge the response times.
/// </summary>
public sealed class InsufficientWorkerCountInsufficientEvidenceRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<HostFacts> hosts = null!;
        IReadOnlyList<WorkerPoolSaturation> saturations = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        Symptom symptom = null!;
        EvidenceGap? gap = null;

        When()
            .Match(() => configuration)
            .Match(() => parameters)
            .Not<CpuSaturation>(c => c.Instance == configuration.Instance)
            .Collect(() => hosts, (HostFacts h) => h.Instance == configuration.Instance)
            .Collect(() => saturations, (WorkerPoolSaturation s) => s.Instance == configuration.Instance)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == configuration.Instance)
            .Let(() => symptom, () => WorkerShortage.Assess(saturations, histograms, parameters))
            .Let(() => gap, () => Gap(configuration, CapacityFacts.CpuCount(hosts), symptom, parameters))
            .Having(() => gap != null);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(CapacityFacts.Name(CapacityDescriptors.InsufficientWorkerCount), gap!.Saw, gap.Supply)
                .Because(gap.Evidence));
    }

    /// <summary>What is missing to conclude, or null when the main rule can conclude or there is nothing to say.</summary>
    internal static EvidenceGap? Gap(GunicornConfiguration configuration, int? cpus, Symptom symptom, RuleParameters parameters)
    {
        var setting = configuration[GunicornSettingCatalog.Workers.Name];
        if (cpus is not { } count)
        {
            var known = configuration.WorkerCount(null);
            return symptom.IsFound && (known is null || known >= 2)
                ? new EvidenceGap(
                    $"{symptom.Text} with workers = {setting.Value.Text}{WorkerShortage.Origin(configuration)}, but the host's CPU count is unknown, so (2 × CPU cores) + 1 cannot be computed",
                    "supply the CPU count Gunicorn may use (nproc, or the container's CPU limit) and analyse again",
                    [setting, .. symptom.Evidence])
                : null;
        }

        var workers = configuration.WorkerCount(count);
        return symptom.Verdict == SymptomVerdict.TooFew && workers is { } n && n >= 2 && n < WorkerShortage.Recommended(count)
            ? new EvidenceGap(
                string.Create(CultureInfo.InvariantCulture,
                    $"{n} worker(s) on {count} CPU(s) is below (2 × {count}) + 1 = {WorkerShortage.Recommended(count)}, but {symptom.Text}"),
                string.Create(CultureInfo.InvariantCulture,
                    $"at least {parameters.Integer(CapacityDescriptors.InsufficientWorkerCount, "min-requests")} requests (or busy-worker samples) are needed to tell whether response times suffer"),
                [setting, .. symptom.Evidence])
            : null;
    }
}
