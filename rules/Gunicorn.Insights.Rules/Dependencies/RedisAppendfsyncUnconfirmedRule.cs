using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>
/// GI0003 for GI6001: a Redis whose persistence can block its clients, where the input cannot show whether it did.
/// Either Redis blocks (<c>appendfsync always</c>, or slow-fsync lines) but there is no Gunicorn error log to show
/// whether workers timed out; or workers timed out while Redis fsyncs every second, but there is no Redis log to show
/// whether those fsyncs stalled. A Gunicorn log without timeouts, or a Redis log without stalls, settles it: silence.
/// </summary>
public sealed class RedisAppendfsyncUnconfirmedRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        IReadOnlyList<ConfigParameter> settings = null!;
        IReadOnlyList<LogSignature> signatures = null!;
        IReadOnlyList<WorkerEvent> events = null!;
        IReadOnlyList<SoftwareVersion> versions = null!;
        IReadOnlyList<WorkerTimeouts> timeouts = null!;
        Gap? gap = null;

        When()
            .Collect(() => settings, (ConfigParameter p) => RedisPersistence.IsRedis(p))
            .Collect(() => signatures)
            .Having(() => settings.Count > 0 || signatures.Any(s => s.Kind == LogSignatureKind.RedisSlowFsync))
            .Collect(() => events)
            .Collect(() => versions)
            .Collect(() => timeouts, (WorkerTimeouts t) => TimeBreakdown.RequestsBlockHeartbeat(t.Configuration))
            .Let(() => gap, () => Find(settings, signatures, events, versions, timeouts))
            .Having(() => gap != null);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(DependenciesDescriptors.RedisAppendfsyncBlocking.Id + " " + DependenciesDescriptors.RedisAppendfsyncBlocking.Title, gap!.Saw, gap.Supply)
                .Because(gap.Evidence));
    }

    /// <summary>The first Redis whose effect on the workers the input cannot show, or null.</summary>
    internal static Gap? Find(IReadOnlyList<ConfigParameter> settings, IReadOnlyList<LogSignature> signatures, IReadOnlyList<WorkerEvent> events,
        IReadOnlyList<SoftwareVersion> versions, IReadOnlyList<WorkerTimeouts> timeouts)
    {
        var slowFsyncs = signatures.Where(s => s.Kind == LogSignatureKind.RedisSlowFsync).ToArray();
        var hasGunicornLog = InputCoverage.HasGunicornErrorLog(signatures, events, versions);
        var hasRedisLog = InputCoverage.HasRedisLog(signatures, versions);
        foreach (var redis in RedisPersistence.All(settings, slowFsyncs))
        {
            var timedOut = timeouts.Where(t => RedisPersistence.UsedBy(t.Instance, settings, slowFsyncs) is { } used && used.Instance == redis.Instance).ToArray();
            if (redis.Blocks && timedOut.Length == 0 && !hasGunicornLog)
            {
                return new Gap(
                    $"the Redis server has appendonly yes with appendfsync {redis.Policy}{redis.Consequence}, but the input has no Gunicorn error log to show whether workers timed out",
                    "supply the Gunicorn error log of the application that uses this Redis for the same period, and run redis-cli --latency-history from the application host",
                    [redis.Appendfsync, redis.Appendonly, .. redis.SlowFsyncs]);
            }

            if (!redis.Blocks && redis.AppendOnly && redis.Policy == "everysec" && timedOut.Length > 0 && !hasRedisLog)
            {
                return new Gap(
                    $"Gunicorn logged {timedOut.Sum(t => t.Count)} WORKER TIMEOUT line(s) while the Redis it uses fsyncs its append-only file every second (appendfsync everysec), which stalls Redis when the disk is busy, but the input has no Redis log to show whether it did",
                    "supply the Redis log for the same period (look for 'Asynchronous AOF fsync is taking too long (disk is busy?)' near the timeouts), or run redis-cli --latency-history from the application host",
                    [.. timedOut, redis.Appendfsync, redis.Appendonly]);
            }
        }

        return null;
    }

    /// <summary>What the input showed about one Redis, what would settle it, and the facts behind it.</summary>
    internal sealed record Gap(string Saw, string Supply, IReadOnlyList<object?> Evidence);
}
