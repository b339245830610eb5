using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// GI2008: "Slow backend responses cause concurrent request memory buildup" — available memory falls across timed
/// samples while requests are slow, on workers that hold many requests in flight (gevent, eventlet, uvicorn, or many
/// threads). A single memory sample never fires.
/// </summary>
public sealed class SlowRequestMemoryBuildupRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<MemoryUsage> memory = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        IReadOnlyList<ApplicationTiming> timings = null!;
        IReadOnlyList<HostFacts> hosts = null!;
        MemoryFall? fall = null;
        Symptom slow = null!;

        When()
            .Match(() => parameters)
            .Match(() => configuration,
                c => CapacityFacts.ConcurrencyPerWorker(c) >= parameters.Integer(CapacityDescriptors.SlowRequestMemoryBuildup, "min-concurrency"))
            .Collect(() => memory, (MemoryUsage m) => m.Instance == configuration.Instance)
            .Let(() => fall, () => MemoryBuildup.Fall(memory))
            .Having(() => fall != null
                && fall.Fall.Value >= parameters.Number(CapacityDescriptors.SlowRequestMemoryBuildup, "min-growth"))
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == configuration.Instance)
            .Collect(() => timings, (ApplicationTiming t) => t.Instance == configuration.Instance)
            .Let(() => slow, () => MemoryBuildup.Slow(histograms, timings, parameters))
            .Having(() => slow.IsFound)
            .Collect(() => hosts, (HostFacts h) => h.Instance == configuration.Instance);
        Then()
            .Report(CapacityDescriptors.SlowRequestMemoryBuildup, () => Finding
                .Of(fall!.First.Available, fall.Last.Available, fall.Last.Total, CapacityFacts.Span(fall.Span), slow.Text,
                    MemoryBuildup.Workers(configuration, CapacityFacts.CpuCount(hosts)), MemoryBuildup.Limit(configuration),
                    MemoryBuildup.Concurrency(configuration))
                .Because(fall.First, fall.Last, slow.Evidence, configuration[GunicornSettingCatalog.WorkerClass.Name]));
    }
}
