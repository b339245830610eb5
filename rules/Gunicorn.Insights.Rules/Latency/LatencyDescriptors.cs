using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>The descriptors of the latency and observability rules (GI3001–GI3999).</summary>
public static class LatencyDescriptors
{
    /// <summary>Every descriptor of the category, by ID.</summary>
    public static IReadOnlyList<InsightDescriptor> All { get; } = [];
}
