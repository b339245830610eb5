using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Monitoring;

/// <summary>How long an observation counts in a monitor: until its time leaves the window, or until its source reports again.</summary>
internal static class ObservationLifetime
{
    /// <summary>
    /// When the observation was last true: the last line of an aggregate (log signature, traffic summary), the end of a
    /// histogram's window, otherwise its timestamp; null when it has no time.
    /// </summary>
    public static DateTimeOffset? LastSeen(Observation observation) => observation switch
    {
        LogSignature signature => signature.LastSeen ?? signature.FirstSeen ?? signature.Timestamp,
        TrafficSummary traffic => traffic.LastSeen ?? traffic.FirstSeen ?? traffic.Timestamp,
        RequestDurationHistogram histogram when histogram.Timestamp is { } start => start + (histogram.Window ?? TimeSpan.Zero),
        _ => observation.Timestamp,
    };

    /// <summary>
    /// True for state, which holds until replaced rather than for a while: configuration and launch commands, host
    /// facts, mounts and versions without a time. Anything else without a time is an event of the moment it arrived.
    /// </summary>
    public static bool IsState(Observation observation) =>
        LastSeen(observation) is null
        && observation is ConfigParameter or LaunchCommand or GunicornConfiguration or HostFacts or FilesystemMount or SoftwareVersion;

    /// <summary>The identity state is replaced by: the same kind, from the same source (file or host source name), for the same instance.</summary>
    public static StateIdentity IdentityOf(Observation observation) =>
        new(observation.GetType(), observation.Source.Source, observation.Instance);
}
