using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>
/// GI6007: the host swapped (sustained swap traffic, or swap in use with little memory available) while the proxy
/// answered 504 or timed out on the application; or memory ran short while workers were SIGKILLed with no WORKER
/// TIMEOUT before them, the mark of the kernel's OOM killer. Gunicorn's own SIGKILL a second after a WORKER TIMEOUT
/// of the same pid is not counted.
/// </summary>
public sealed class MemorySwappingRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<SwapActivity> swaps = null!;
        IReadOnlyList<MemoryUsage> memory = null!;
        IReadOnlyList<LogSignature> signatures = null!;
        IReadOnlyList<TrafficSummary> traffic = null!;
        IReadOnlyList<WorkerKill> kills = null!;
        MemoryPressure pressure = null!;
        MemorySymptoms symptoms = null!;

        When()
            .Match(() => configuration)
            .Match(() => parameters)
            .Collect(() => swaps, (SwapActivity s) => s.Instance == configuration.Instance)
            .Collect(() => memory, (MemoryUsage m) => m.Instance == configuration.Instance)
            .Collect(() => signatures, (LogSignature s) => s.Instance == configuration.Instance,
                s => s.Kind == LogSignatureKind.OutOfMemoryKill || s.Kind == LogSignatureKind.Http504 || s.Kind == LogSignatureKind.UpstreamTimedOut)
            .Collect(() => traffic, (TrafficSummary t) => t.Instance == configuration.Instance)
            .Collect(() => kills, (WorkerKill k) => k.Instance == configuration.Instance)
            .Let(() => symptoms, () => MemorySymptoms.Of(signatures, traffic, kills))
            .Having(() => symptoms.Any)
            .Let(() => pressure, () => MemoryPressure.Assess(swaps, memory,
                signatures.Where(s => s.Kind == LogSignatureKind.OutOfMemoryKill).ToArray(), symptoms, parameters))
            .Having(() => (pressure.Swaps && symptoms.SlowResponses) || (pressure.Exhausted && symptoms.Kills));
        Then()
            .Report(DependenciesDescriptors.MemorySwapping, () => Finding
                .Of(pressure.Describe(), symptoms.Describe())
                .Because(pressure.Evidence, symptoms.Evidence));
    }
}
