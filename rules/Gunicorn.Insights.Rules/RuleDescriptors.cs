using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Rules.Capacity;
using Gunicorn.Insights.Rules.Dependencies;
using Gunicorn.Insights.Rules.Latency;
using Gunicorn.Insights.Rules.Platform;
using Gunicorn.Insights.Rules.Proxy;
using Gunicorn.Insights.Rules.WorkerLifecycle;

namespace Gunicorn.Insights.Rules;

/// <summary>
/// The catalog of the built-in rules: one descriptor per rule ID, grouped by category in the ID ranges of
/// <see cref="InsightCategory"/>. A released ID is never reused for another meaning
/// (see <c>AnalyzerReleases.Shipped.md</c>).
/// </summary>
public static class RuleDescriptors
{
    /// <summary>Every built-in descriptor, by ID.</summary>
    public static IReadOnlyList<InsightDescriptor> All { get; } =
    [
        .. WorkerLifecycleDescriptors.All,
        .. CapacityDescriptors.All,
        .. LatencyDescriptors.All,
        .. ProxyDescriptors.All,
        .. PlatformDescriptors.All,
        .. DependenciesDescriptors.All,
    ];
}
