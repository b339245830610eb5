using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// GI0003 for GI2001: the evidence about exact-deadline hangs is partial — a saturated pool with too few requests or
/// a histogram too coarse around the deadline, or requests clustered at the deadline with no busy-worker samples to
/// show whether the pool was exhausted.
/// </summary>
public sealed class PoolExhaustionDeadlineHangInsufficientEvidenceRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        IReadOnlyList<ConfigParameter> proxyTimeouts = null!;
        IReadOnlyList<WorkerPoolSaturation> saturations = null!;
        IReadOnlyList<WorkerUtilization> samples = null!;
        EvidenceGap? gap = null;

        When()
            .Match(() => configuration)
            .Match(() => parameters)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == configuration.Instance)
            .Having(() => histograms.Count > 0)
            .Collect(() => proxyTimeouts, (ConfigParameter p) => p.Instance == configuration.Instance, p => DeadlineClusters.IsProxyReadTimeout(p))
            .Collect(() => saturations, (WorkerPoolSaturation s) => s.Instance == configuration.Instance)
            .Collect(() => samples, (WorkerUtilization u) => u.Instance == configuration.Instance)
            .Let(() => gap, () => Gap(configuration, histograms, proxyTimeouts, saturations, samples, parameters))
            .Having(() => gap != null);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(CapacityFacts.Name(CapacityDescriptors.PoolExhaustionDeadlineHang), gap!.Saw, gap.Supply)
                .Because(gap.Evidence));
    }

    /// <summary>What is missing to conclude, or null when the main rule concludes or there is nothing to say.</summary>
    internal static EvidenceGap? Gap(GunicornConfiguration configuration, IReadOnlyList<RequestDurationHistogram> histograms,
        IReadOnlyList<ConfigParameter> proxyTimeouts, IReadOnlyList<WorkerPoolSaturation> saturations, IReadOnlyList<WorkerUtilization> samples,
        RuleParameters parameters)
    {
        var descriptor = CapacityDescriptors.PoolExhaustionDeadlineHang;
        var deadlines = DeadlineClusters.Of(configuration, proxyTimeouts, parameters.Duration(descriptor, "proxy-deadline"));
        var found = DeadlineClusters.Find(histograms, deadlines, parameters);
        var saturation = saturations.Count > 0 ? saturations[0] : null;
        if (saturation is not null)
        {
            if (found.TooFew is { } few)
            {
                return new EvidenceGap(
                    $"the worker pool was exhausted ({CapacityFacts.Describe(saturation)}) but the request-duration histogram holds only {CapacityFacts.Requests(few.Count)} requests",
                    string.Create(CultureInfo.InvariantCulture,
                        $"at least {parameters.Integer(descriptor, "min-requests")} requests are needed to see whether they end at the deadline; export a longer window"),
                    [few, saturation]);
            }

            if (found.Cluster is null && found.Unresolved is { } coarse)
            {
                // Suggested bounds 5 s around the deadline, or half of it for deadlines under 10 s, which stay above 0.
                var step = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, coarse.Deadline.Value.Ticks / 2));
                return new EvidenceGap(
                    $"the worker pool was exhausted ({CapacityFacts.Describe(saturation)}) and {CapacityFacts.Requests(coarse.Slower)} of {CapacityFacts.Requests(coarse.Histogram.Count)} requests took longer than {CapacityFacts.Duration(coarse.Bound)}, but the histogram has no bucket bounds close to the {coarse.Deadline.Name} of {CapacityFacts.Duration(coarse.Deadline.Value)}",
                    $"add bucket bounds just below and above the deadline (e.g. {CapacityFacts.Duration(coarse.Deadline.Value - step)} and {CapacityFacts.Duration(coarse.Deadline.Value + step)}) to the request-duration histogram (http_request_duration_seconds.buckets), or read the proxy's access log with $request_time",
                    [coarse.Histogram, saturation, coarse.Deadline.Sources]);
            }

            return null;
        }

        if (samples.Count == 0 && found.Cluster is { } cluster)
        {
            return new EvidenceGap(
                $"{CapacityFacts.Requests(cluster.AtDeadline)} of {CapacityFacts.Requests(cluster.Histogram.Count)} requests ({cluster.Share}) took between {CapacityFacts.Duration(cluster.From)} and {CapacityFacts.Duration(cluster.To)}, at the {cluster.Deadline.Name} of {CapacityFacts.Duration(cluster.Deadline.Value)}, but there are no busy-worker samples to show whether they waited for a free worker",
                "log the busy-worker count with each request (access_log_format with busy=%({x-busy}i)s) or read the listening socket's Recv-Q with ss -ltn (ss -lx for a Unix socket) during a hang",
                [cluster.Histogram, cluster.Deadline.Sources]);
        }

        return null;
    }
}
