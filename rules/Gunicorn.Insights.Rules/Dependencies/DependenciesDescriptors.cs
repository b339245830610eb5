using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>The descriptors of the dependency and host-resource rules (GI6001–GI6999).</summary>
public static class DependenciesDescriptors
{
    /// <summary>Every descriptor of the category, by ID.</summary>
    public static IReadOnlyList<InsightDescriptor> All { get; } = [];
}
