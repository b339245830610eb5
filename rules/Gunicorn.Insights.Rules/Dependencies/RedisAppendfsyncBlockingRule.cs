using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>
/// GI6001: workers timed out while the Redis they use persists every write to its append-only file with
/// <c>appendfsync always</c>, or logged that its everysec fsync was taking too long, so Redis blocked on the disk and
/// the workers waiting on it were killed. Timeouts of gthread workers do not count: their main thread keeps
/// heartbeating while a request thread waits on Redis.
/// </summary>
public sealed class RedisAppendfsyncBlockingRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerTimeouts timeouts = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<ConfigParameter> settings = null!;
        IReadOnlyList<LogSignature> slowFsyncs = null!;
        RedisPersistence? redis = null;

        When()
            .Match(() => timeouts, t => TimeBreakdown.RequestsBlockHeartbeat(t.Configuration))
            .Match(() => parameters)
            .Collect(() => settings, (ConfigParameter p) => RedisPersistence.IsRedis(p))
            .Collect(() => slowFsyncs, (LogSignature s) => s.Kind == LogSignatureKind.RedisSlowFsync)
            .Let(() => redis, () => RedisPersistence.UsedBy(timeouts.Instance, settings, slowFsyncs, timeouts.FirstSeen, timeouts.LastSeen,
                parameters.Duration(DependenciesDescriptors.RedisAppendfsyncBlocking, "window")))
            .Having(() => redis != null && redis.Blocks);
        Then()
            .Report(DependenciesDescriptors.RedisAppendfsyncBlocking, () => Finding
                .Of(timeouts.Count, timeouts.Timeout, redis!.Policy, redis.Consequence, TimeBreakdown.AsynchronousWorkerNote(timeouts.Configuration))
                .Because(timeouts, redis.Appendfsync, redis.Appendonly, redis.SlowFsyncs)
                .Recommending(redis.AppendfsyncNo));
    }
}
