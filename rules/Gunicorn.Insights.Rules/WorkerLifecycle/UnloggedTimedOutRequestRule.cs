using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>
/// GI1003: "Worker timeout kills process without logging request URI" — WORKER TIMEOUT lines for an instance with no
/// request-level evidence (no access log of any logger, no per-path request-duration metric), so nothing names the
/// requests that were killed.
/// </summary>
public sealed class UnloggedTimedOutRequestRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerTimeouts timeouts = null!;

        When()
            .Match(() => timeouts)
            .Not<TrafficSummary>(t => t.Instance == timeouts.Instance)
            .Not<RequestDurationHistogram>(h => h.Instance == timeouts.Instance, h => RequestDurations.PathOf(h) != null);
        Then()
            .Report(WorkerLifecycleDescriptors.UnloggedTimedOutRequest, () => Finding
                .Of(timeouts.Count, timeouts.Pids.Count, AccessLogClause(timeouts.Configuration))
                .Because(timeouts, AccessLogSetting(timeouts.Configuration)));
    }

    /// <summary>What the configuration says about Gunicorn's access log.</summary>
    internal static string AccessLogClause(GunicornConfiguration configuration)
    {
        if (AccessLogSetting(configuration) is not { } setting)
        {
            return " (accesslog is not set, and Gunicorn keeps no access log by default)";
        }

        var withoutTime = HasRequestTime(configuration.AccessLogFormat)
            ? ""
            : ", and its access_log_format has no request time such as rt=%(L)s";
        return $" (accesslog is {setting.Value} at {setting.Source}: supply that log{withoutTime})";
    }

    /// <summary>The effective <c>accesslog</c> setting when one is set, else null.</summary>
    internal static ConfigParameter? AccessLogSetting(GunicornConfiguration configuration) =>
        configuration.AccessLog is not null && configuration.TryGet(GunicornSettingCatalog.AccessLog.Name, out var setting) ? setting : null;

    /// <summary>True when an access-log format logs the request time (<c>%(L)s</c>, <c>%(T)s</c>, <c>%(M)s</c> or <c>%(D)s</c>).</summary>
    internal static bool HasRequestTime(string format) =>
        format.Contains("%(L)", StringComparison.Ordinal) || format.Contains("%(T)", StringComparison.Ordinal)
        || format.Contains("%(M)", StringComparison.Ordinal) || format.Contains("%(D)", StringComparison.Ordinal);
}
