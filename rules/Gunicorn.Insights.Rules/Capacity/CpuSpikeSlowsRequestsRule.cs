using System.Globalization;
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
/// It reports GI0003 instead when the evidence hints at the problem but is too thin to show it.
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
            .Having(() => (suffering.IsFound) || (suffering.Verdict == SymptomVerdict.TooFew || suffering.Verdict == SymptomVerdict.Unknown));
        Then()
            .Report(CapacityDescriptors.CpuSpikeSlowsRequests, () => suffering.IsFound, () => Finding
                .Of(busy.Text, suffering.Text)
                .Because(busy.Evidence, suffering.Evidence))
            .Report(EngineDescriptors.InsufficientEvidence, () => suffering.Verdict == SymptomVerdict.TooFew || suffering.Verdict == SymptomVerdict.Unknown, () => Finding
                .Of(CapacityFacts.Name(CapacityDescriptors.CpuSpikeSlowsRequests), Saw(busy, suffering), Supply(suffering, parameters))
                .Because(busy.Evidence, suffering.Evidence));
    }

    private static string Saw(Symptom busy, Symptom suffering) =>
        $"the CPU was saturated ({busy.Text}) but " + (suffering.Verdict == SymptomVerdict.TooFew
            ? suffering.Text
            : "there are no request durations or worker timeouts to show whether requests slowed down");

    private static string Supply(Symptom suffering, RuleParameters parameters) => suffering.Verdict == SymptomVerdict.TooFew
        ? string.Create(CultureInfo.InvariantCulture,
            $"at least {parameters.Integer(CapacityDescriptors.CpuSpikeSlowsRequests, "min-requests")} requests from the same period are needed for a stable P95")
        : "supply request durations from the same period (the access log with rt=%(L)s in access_log_format, or a request-duration histogram) and the error log";
}
