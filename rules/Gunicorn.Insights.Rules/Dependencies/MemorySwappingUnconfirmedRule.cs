using System.Globalization;
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
/// GI0003 for GI6007, when one side of "memory shortage hurt the requests" is missing or thin: memory ran short but the
/// input has no proxy log to show whether responses slowed; the proxy timed out but swap traffic showed in fewer
/// samples than <c>min-swap-samples</c>; or workers were SIGKILLed with no timeout before them but there is no memory
/// data from that time. A proxy log without 504s, or memory samples without shortage, settles it: silence.
/// </summary>
public sealed class MemorySwappingUnconfirmedRule : Rule
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
        MemorySymptoms symptoms = null!;
        Gap? gap = null;

        When()
            .Match(() => configuration)
            .Match(() => parameters)
            .Collect(() => swaps, (SwapActivity s) => s.Instance == configuration.Instance)
            .Collect(() => memory, (MemoryUsage m) => m.Instance == configuration.Instance)
            .Collect(() => signatures, (LogSignature s) => s.Instance == configuration.Instance)
            .Collect(() => traffic, (TrafficSummary t) => t.Instance == configuration.Instance)
            .Collect(() => kills, (WorkerKill k) => k.Instance == configuration.Instance)
            .Having(() => swaps.Count > 0 || memory.Count > 0 || kills.Count > 0 || signatures.Any(s => s.Kind == LogSignatureKind.OutOfMemoryKill))
            .Let(() => symptoms, () => MemorySymptoms.Of(signatures, traffic, kills))
            .Let(() => gap, () => Find(
                MemoryPressure.Assess(swaps, memory, signatures.Where(s => s.Kind == LogSignatureKind.OutOfMemoryKill).ToArray(), symptoms, parameters),
                symptoms, InputCoverage.HasProxyLog(signatures, traffic)))
            .Having(() => gap != null);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(TimeBreakdown.Label(DependenciesDescriptors.MemorySwapping), gap!.Saw, gap.Supply)
                .Because(gap.Evidence));
    }

    /// <summary>What is missing to conclude, or null when the evidence settles it either way.</summary>
    internal static Gap? Find(MemoryPressure pressure, MemorySymptoms symptoms, bool hasProxyLog)
    {
        ArgumentNullException.ThrowIfNull(pressure);
        ArgumentNullException.ThrowIfNull(symptoms);
        if (pressure.Exhausted && !symptoms.Any && !hasProxyLog)
        {
            return new Gap(
                $"memory ran short ({pressure.Describe()}), but the input has no proxy log to show whether responses slowed or timed out",
                "supply the nginx access log (with $request_time) and error log for the same period",
                pressure.Evidence);
        }

        if (!pressure.Exhausted && pressure.Swapping.Count > 0 && symptoms.SlowResponses)
        {
            return new Gap(
                string.Create(CultureInfo.InvariantCulture,
                    $"{symptoms.Describe()}, and {pressure.Describe()}, fewer than the {pressure.MinimumSwapSamples} that make swapping sustained"),
                "run vmstat 5 12 and free -m during the next incident: swap-in and swap-out in consecutive samples confirm the host is swapping",
                [.. symptoms.Evidence, .. pressure.Evidence]);
        }

        if (!pressure.HasData && symptoms.Kills)
        {
            return new Gap(
                $"{symptoms.Describe()}, but the input has no memory data from that time",
                "run free -m on the host and dmesg -T | grep -i 'killed process'; an OOM-killer line naming a worker pid confirms it",
                symptoms.Evidence);
        }

        return null;
    }

    /// <summary>What the input showed, what would settle it, and the facts behind it.</summary>
    internal sealed record Gap(string Saw, string Supply, IReadOnlyList<object> Evidence);
}
