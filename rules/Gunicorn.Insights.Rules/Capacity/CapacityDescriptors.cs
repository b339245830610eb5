using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>The descriptors of the capacity and concurrency rules (GI2001–GI2999).</summary>
public static class CapacityDescriptors
{
    /// <summary>Every descriptor of the category, by ID.</summary>
    public static IReadOnlyList<InsightDescriptor> All { get; } = [];
}
