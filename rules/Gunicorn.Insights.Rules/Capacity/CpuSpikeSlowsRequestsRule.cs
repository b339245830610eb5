using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// GI2007: "Gunicorn CPU spike to 100% causes severe page load delays" — Gunicorn processes at a full core, or the
/// host at 90 % or more (not I/O wait, not another process), while the P95 request duration exceeds its limit or
/// workers time out.
/// </summary>
public sealed class CpuSpikeSlowsRequestsRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        CpuSaturation cpu = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<CpuUsage> samples = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        IReadOnlyList<WorkerTimeouts> timeouts = null!;
        Symptom busy = null!;
        Symptom suffering = null!;

        When()
            .Match(() => cpu)
            .Match(() => parameters)
            .Collect(() => samples, (CpuUsage c) => c.Instance == cpu.Instance)
            .Let(() => busy, () => CpuSpike.Busy(samples))
            .Having(() => busy.IsFound)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == cpu.Instance)
            .Collect(() => timeouts, (WorkerTimeouts t) => t.Instance == cpu.Instance)
            .Let(() => suffering, () => CpuSpike.Suffering(histograms, timeouts, parameters))
            .Having(() => suffering.IsFound);
        Then()
            .Report(CapacityDescriptors.CpuSpikeSlowsRequests, () => Finding
                .Of(busy.Text, suffering.Text)
                .Because(busy.Evidence, suffering.Evidence));
    }
}
