using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// GI0003 for GI2008: requests are slow on highly concurrent workers, but memory was sampled only once (or without
/// times), so whether it builds up cannot be told.
/// </summary>
public sealed class SlowRequestMemoryBuildupInsufficientEvidenceRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<MemoryUsage> memory = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        IReadOnlyList<ApplicationTiming> timings = null!;
        Symptom slow = null!;

        When()
            .Match(() => parameters)
            .Match(() => configuration,
                c => CapacityFacts.ConcurrencyPerWorker(c) >= parameters.Integer(CapacityDescriptors.SlowRequestMemoryBuildup, "min-concurrency"))
            .Collect(() => memory, (MemoryUsage m) => m.Instance == configuration.Instance)
            .Having(() => memory.Count > 0 && MemoryBuildup.Fall(memory) == null)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == configuration.Instance)
            .Collect(() => timings, (ApplicationTiming t) => t.Instance == configuration.Instance)
            .Let(() => slow, () => MemoryBuildup.Slow(histograms, timings, parameters))
            .Having(() => slow.IsFound);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(CapacityFacts.Name(CapacityDescriptors.SlowRequestMemoryBuildup), Saw(configuration, memory, slow),
                    "sample memory repeatedly while requests are slow (free -m -s 10, or a memory metric over time) to see whether it grows with the requests in flight")
                .Because(memory, slow.Evidence, configuration[GunicornSettingCatalog.WorkerClass.Name]));
    }

    private static string Saw(GunicornConfiguration configuration, IReadOnlyList<MemoryUsage> memory, Symptom slow) =>
        $"requests were slow ({slow.Text}) on workers that hold {MemoryBuildup.Limit(configuration)} requests in flight each "
        + $"({MemoryBuildup.Concurrency(configuration)}), but there is only one point in time of memory ({memory[^1].Available} available of {memory[^1].Total})";
}
