using System.Globalization;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// GI2002: "Synchronous WSGI workers block on I/O preventing concurrent request handling" — the instance runs sync
/// workers, its requests spend most of their time waiting on databases or external services (or are slow while the
/// CPU idles), and the pool saturates. gevent, eventlet, gthread and uvicorn workers never match.
/// It reports GI0003 instead when the evidence hints at the problem but is too thin to show it.
/// </summary>
public sealed class SyncWorkersBlockingOnIoRule : Rule
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
            .Having(() => (io.IsFound) || (io.Verdict == SymptomVerdict.TooFew || io.Verdict == SymptomVerdict.Unknown));
        Then()
            .Report(CapacityDescriptors.SyncWorkersBlockingOnIo, () => io.IsFound, () => Finding
                .Of(saturation.Configuration.Workers.Text, CapacityFacts.Describe(saturation), io.Text)
                .Because(saturation, io.Evidence)
                .Recommending(Recommendations.Gunicorn(saturation.Configuration, GunicornSettingCatalog.WorkerClass.Name, RecommendationKind.Exactly,
                    SettingValue.FromText("gevent"), "I/O-bound requests need a worker that serves others while one waits")))
            .Report(EngineDescriptors.InsufficientEvidence, () => io.Verdict == SymptomVerdict.TooFew || io.Verdict == SymptomVerdict.Unknown, () => Finding
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
