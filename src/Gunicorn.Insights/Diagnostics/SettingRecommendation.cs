using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Diagnostics;

/// <summary>
/// What one diagnosis asks of one setting, with the value it has now. Several diagnoses may constrain the same setting;
/// <see cref="RecommendationReconciler"/> merges them into one bounded recommendation per setting.
/// </summary>
/// <param name="Setting">The canonical setting name (<c>timeout</c>, <c>workers</c>, <c>worker_class</c>, <c>appendfsync</c>).</param>
/// <param name="Kind">Exactly, at least or at most.</param>
/// <param name="Value">The value: a duration for timeouts, an integer for counts, text otherwise.</param>
public sealed record SettingRecommendation(string Setting, RecommendationKind Kind, SettingValue Value)
{
    /// <summary>The setting's current (effective) value, when known.</summary>
    public SettingValue? Current { get; init; }

    /// <summary>Why, in a few words (e.g. <c>slowest request 48 s</c>).</summary>
    public string Reason { get; init; } = "";

    /// <summary>The component the setting belongs to.</summary>
    public ConfigurationScope Scope { get; init; } = ConfigurationScope.Gunicorn;

    /// <summary>
    /// A recommendation with the setting's current value and component, in one call (rules build findings in expression
    /// trees, which allow neither <c>with</c> nor optional arguments).
    /// </summary>
    public static SettingRecommendation Create(ConfigurationScope scope, string setting, RecommendationKind kind, SettingValue value,
        SettingValue? current, string reason) =>
        new(setting, kind, value) { Scope = scope, Current = current, Reason = reason };

    /// <summary>The setting must be exactly <paramref name="value"/>.</summary>
    public static SettingRecommendation Exactly(string setting, SettingValue value, string reason) => new(setting, RecommendationKind.Exactly, value) { Reason = reason };

    /// <summary>The setting must be at least <paramref name="value"/>.</summary>
    public static SettingRecommendation AtLeast(string setting, SettingValue value, string reason) => new(setting, RecommendationKind.AtLeast, value) { Reason = reason };

    /// <summary>The setting must be at most <paramref name="value"/>.</summary>
    public static SettingRecommendation AtMost(string setting, SettingValue value, string reason) => new(setting, RecommendationKind.AtMost, value) { Reason = reason };

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        RecommendationKind.AtLeast => $"{Setting} ≥ {Value}",
        RecommendationKind.AtMost => $"{Setting} ≤ {Value}",
        _ => $"{Setting} = {Value}",
    };
}
