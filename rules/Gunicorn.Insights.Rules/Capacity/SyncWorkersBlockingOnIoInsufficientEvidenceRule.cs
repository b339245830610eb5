using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// GI0003 for GI2002: sync workers saturated, but the evidence cannot tell whether the requests wait on I/O (no APM
/// breakdown, no request durations with CPU samples, or too few requests).
/// </summary>
public sealed class SyncWorkersBlockingOnIoInsufficientEvidenceRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerPoolSaturation saturation = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<ApplicationTiming> timings = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        IReadOnlyList<CpuUsage> hostCpu = null!;
        Symptom io = null!;

        When()
            .Match(() => saturation, s => CapacityFacts.IsSync(s.Configuration))
            .Match(() => parameters)
            .Collect(() => timings, (ApplicationTiming t) => t.Instance == saturation.Instance)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == saturation.Instance)
            .Collect(() => hostCpu, (CpuUsage c) => c.Instance == saturation.Instance, c => c.Pid == null)
            .Let(() => io, () => IoBoundRequests.Assess(timings, histograms, hostCpu, parameters))
            .Having(() => io.Verdict == SymptomVerdict.TooFew || io.Verdict == SymptomVerdict.Unknown);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(CapacityFacts.Name(CapacityDescriptors.SyncWorkersBlockingOnIo), Saw(saturation, io), Supply(io, parameters))
                .Because(saturation, io.Evidence));
    }

    private static string Saw(WorkerPoolSaturation saturation, Symptom io) =>
        $"the {saturation.Configuration.Workers.Text} sync worker(s) saturated ({CapacityFacts.Describe(saturation)}) but "
        + (io.Verdict == SymptomVerdict.TooFew
            ? io.Text
            : "neither an APM breakdown (database and external time per request) nor request durations with host CPU samples show whether the requests wait on I/O");

    private static string Supply(Symptom io, RuleParameters parameters) =>
        io.Verdict == SymptomVerdict.TooFew
            ? string.Create(CultureInfo.InvariantCulture,
                $"at least {parameters.Integer(CapacityDescriptors.SyncWorkersBlockingOnIo, "min-requests")} requests are needed to tell I/O-bound from CPU-bound work; supply a longer window")
            : "supply APM transaction traces with database and external time, or request durations (access log with rt=%(L)s) together with top or vmstat samples from the saturated period";
}
