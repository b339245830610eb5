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
            .Having(() => io.IsFound);
        Then()
            .Report(CapacityDescriptors.SyncWorkersBlockingOnIo, () => Finding
                .Of(saturation.Configuration.Workers.Text, CapacityFacts.Describe(saturation), io.Text)
                .Because(saturation, io.Evidence)
                .Recommending(Recommendations.Gunicorn(saturation.Configuration, GunicornSettingCatalog.WorkerClass.Name, RecommendationKind.Exactly,
                    SettingValue.FromText("gevent"), "I/O-bound requests need a worker that serves others while one waits")));
    }
}
