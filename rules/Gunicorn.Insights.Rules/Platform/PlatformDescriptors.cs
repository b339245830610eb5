using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Platform;

/// <summary>The descriptors of the platform rules (GI5001–GI5999).</summary>
public static class PlatformDescriptors
{
    /// <summary>Every descriptor of the category, by ID.</summary>
    public static IReadOnlyList<InsightDescriptor> All { get; } = [];
}
