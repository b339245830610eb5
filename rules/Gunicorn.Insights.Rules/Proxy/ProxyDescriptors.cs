using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Proxy;

/// <summary>The descriptors of the proxy and network rules (GI4001–GI4999).</summary>
public static class ProxyDescriptors
{
    /// <summary>Every descriptor of the category, by ID.</summary>
    public static IReadOnlyList<InsightDescriptor> All { get; } = [];
}
