using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Requests;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>
/// Which artifacts the input contains, as far as the facts show: rules use it to tell "the log shows no problem" (stay
/// silent) from "the log that would show it was not supplied" (say what to supply).
/// </summary>
internal static class InputCoverage
{
    private static readonly HashSet<LogSignatureKind> GunicornKinds =
    [
        LogSignatureKind.WorkerTimeout, LogSignatureKind.WorkerSigkill, LogSignatureKind.WorkerSignaled, LogSignatureKind.WorkerExitedWithCode,
        LogSignatureKind.WorkerExiting, LogSignatureKind.WorkerBoot, LogSignatureKind.WorkerFailedToBoot, LogSignatureKind.AppFailedToLoad,
        LogSignatureKind.ErrorHandlingRequest, LogSignatureKind.ConnectionInUse,
    ];

    private static readonly HashSet<LogSignatureKind> ProxyKinds =
    [
        LogSignatureKind.UpstreamPrematurelyClosed, LogSignatureKind.UpstreamTimedOut, LogSignatureKind.UpstreamConnectFailed,
        LogSignatureKind.Http502, LogSignatureKind.Http504, LogSignatureKind.HerokuRequestTimeout, LogSignatureKind.PlatformRequestTimeout,
    ];

    /// <summary>True when the facts come from a Gunicorn error log: worker lines, or the <c>Starting gunicorn</c> version.</summary>
    public static bool HasGunicornErrorLog(IReadOnlyList<LogSignature> signatures, IReadOnlyList<WorkerEvent> events, IReadOnlyList<SoftwareVersion> versions) =>
        events.Count > 0 || versions.Any(v => v.Component == "gunicorn") || signatures.Any(s => GunicornKinds.Contains(s.Kind));

    /// <summary>True when the facts come from a Redis log: its version banner or its slow-fsync lines.</summary>
    public static bool HasRedisLog(IReadOnlyList<LogSignature> signatures, IReadOnlyList<SoftwareVersion> versions) =>
        versions.Any(v => v.Component == "redis") || signatures.Any(s => s.Kind == LogSignatureKind.RedisSlowFsync);

    /// <summary>True when the facts come from a proxy's or router's logs, the ones that would show slow responses and 504s.</summary>
    public static bool HasProxyLog(IReadOnlyList<LogSignature> signatures, IReadOnlyList<TrafficSummary> traffic) =>
        traffic.Any(t => t.IsFrontEnd) || signatures.Any(s => ProxyKinds.Contains(s.Kind));
}
