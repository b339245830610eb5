using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// GI2001: "Worker pool exhaustion causes exact 60-second request hangs" — a share of requests ends exactly at the
/// proxy's read timeout (or Gunicorn's worker timeout) while the worker pool is saturated: they waited for a worker
/// and were cut off by the deadline.
/// </summary>
public sealed class PoolExhaustionDeadlineHangRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerPoolSaturation saturation = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        IReadOnlyList<ConfigParameter> proxyTimeouts = null!;
        DeadlineClusters clusters = null!;

        When()
            .Match(() => saturation)
            .Match(() => parameters)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == saturation.Instance)
            .Collect(() => proxyTimeouts, (ConfigParameter p) => p.Instance == saturation.Instance, p => DeadlineClusters.IsProxyReadTimeout(p))
            .Having(() => histograms.Count > 0)
            .Let(() => clusters, () => DeadlineClusters.Find(histograms,
                DeadlineClusters.Of(saturation.Configuration, proxyTimeouts, parameters.Duration(CapacityDescriptors.PoolExhaustionDeadlineHang, "proxy-deadline")),
                parameters))
            .Having(() => clusters.Cluster != null);
        Then()
            .Report(CapacityDescriptors.PoolExhaustionDeadlineHang, () => Finding
                .Of(CapacityFacts.Requests(clusters.Cluster!.AtDeadline), CapacityFacts.Requests(clusters.Cluster.Histogram.Count),
                    clusters.Cluster.Share, clusters.Cluster.From, clusters.Cluster.To, clusters.Cluster.Deadline.Name,
                    clusters.Cluster.Deadline.Value, CapacityFacts.Describe(saturation))
                .Because(clusters.Cluster.Histogram, saturation, clusters.Cluster.Deadline.Sources));
    }
}
