namespace Gunicorn.Insights.Diagnostics;

/// <summary>How a rule constrains a setting.</summary>
public enum RecommendationKind
{
    /// <summary>The setting should have exactly this value (e.g. <c>worker_class = gevent</c>).</summary>
    Exactly,

    /// <summary>The setting should be at least this value (e.g. <c>timeout</c> above the slowest legitimate request).</summary>
    AtLeast,

    /// <summary>The setting should be at most this value (e.g. <c>timeout</c> below a platform's request deadline).</summary>
    AtMost,
}
