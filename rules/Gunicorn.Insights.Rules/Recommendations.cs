using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules;

/// <summary>
/// Builds the setting recommendations rules attach to their findings, with the setting's current value taken from the
/// instance's effective configuration, so that a report can merge every rule's ask into one recommendation per setting.
/// </summary>
internal static class Recommendations
{
    /// <summary>A Gunicorn setting recommendation.</summary>
    public static SettingRecommendation Gunicorn(GunicornConfiguration configuration, string setting, RecommendationKind kind, SettingValue value,
        string reason) =>
        SettingRecommendation.Create(ConfigurationScope.Gunicorn, setting, kind, value,
            configuration.TryGet(setting, out var current) ? current.Value : null, reason);

    /// <summary>The worker timeout must be at least <paramref name="minimum"/> (rounded up to whole seconds, as Gunicorn takes it).</summary>
    public static SettingRecommendation TimeoutAtLeast(GunicornConfiguration configuration, TimeSpan minimum, string reason) =>
        Gunicorn(configuration, GunicornSettingCatalog.Timeout.Name, RecommendationKind.AtLeast, SettingValue.Seconds((long)Math.Ceiling(minimum.TotalSeconds)), reason);

    /// <summary>The worker timeout must be at most <paramref name="maximum"/> (rounded down to whole seconds).</summary>
    public static SettingRecommendation TimeoutAtMost(GunicornConfiguration configuration, TimeSpan maximum, string reason) =>
        Gunicorn(configuration, GunicornSettingCatalog.Timeout.Name, RecommendationKind.AtMost, SettingValue.Seconds((long)Math.Floor(maximum.TotalSeconds)), reason);

    /// <summary>The worker count, (2 × CPU cores) + 1 for <paramref name="cpus"/> cores.</summary>
    public static SettingRecommendation Workers(GunicornConfiguration configuration, RecommendationKind kind, int cpus, string reason) =>
        Gunicorn(configuration, GunicornSettingCatalog.Workers.Name, kind, SettingValue.Integer(2L * cpus + 1), reason);
}
