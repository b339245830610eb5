using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Logs;
using static Gunicorn.Insights.Rules.Tests.Dependencies.RedisAppendfsyncBlockingRuleTests;

namespace Gunicorn.Insights.Rules.Tests.Dependencies;

public sealed class RedisAppendfsyncUnconfirmedRuleTests
{
    [Fact]
    public void Appendfsync_always_without_a_gunicorn_error_log_asks_for_it()
    {
        var session = BuiltInRules.Analyze(
            Redis("appendonly", "yes", 1379),
            Redis("appendfsync", "always", 1436));

        var diagnosis = session.InsufficientEvidenceFor("GI6001").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            "GI6001 Redis appendfsync blocking causes Gunicorn worker timeout could not conclude: the Redis server has appendonly yes with "
            + "appendfsync always, so every write waits for fsync to reach the disk, but the input has no Gunicorn error log to show whether "
            + "workers timed out; supply the Gunicorn error log of the application that uses this Redis for the same period, and run "
            + "redis-cli --latency-history from the application host");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("/etc/redis/redis.conf:1436", "/etc/redis/redis.conf:1379");
        session.Diagnoses.Where(d => d.Id == "GI6001").Should().BeEmpty();
    }

    [Fact]
    public void A_gunicorn_error_log_without_timeouts_settles_it_and_nothing_is_reported()
    {
        var session = BuiltInRules.Analyze(
            Redis("appendonly", "yes", 1379),
            Redis("appendfsync", "always", 1436),
            Observe.Lines(LogSignatureKind.WorkerBoot, 4, "[2026-11-23 23:40:00 +0000] [7685] [INFO] Booting worker with pid: 7685"));

        session.Diagnoses.Where(d => d.Id == "GI6001").Concat(session.InsufficientEvidenceFor("GI6001")).Should().BeEmpty();
    }

    [Fact]
    public void Timeouts_with_everysec_and_no_redis_log_ask_for_the_redis_log()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685]),
            Redis("appendonly", "yes", 1379),
            Redis("appendfsync", "everysec", 1436));

        var diagnosis = session.InsufficientEvidenceFor("GI6001").Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "GI6001 Redis appendfsync blocking causes Gunicorn worker timeout could not conclude: Gunicorn logged 3 WORKER TIMEOUT line(s) while "
            + "the Redis it uses fsyncs its append-only file every second (appendfsync everysec), which stalls Redis when the disk is busy, but "
            + "the input has no Redis log to show whether it did; supply the Redis log for the same period (look for 'Asynchronous AOF fsync is "
            + "taking too long (disk is busy?)' near the timeouts), or run redis-cli --latency-history from the application host");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "error.log:17", "gunicorn defaults", "/etc/redis/redis.conf:1436", "/etc/redis/redis.conf:1379");
    }

    [Fact]
    public void Redis_without_the_append_only_file_is_not_a_risk_and_nothing_is_reported()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685]),
            Redis("appendonly", "no", 1379),
            Redis("appendfsync", "everysec", 1436));

        session.Diagnoses.Where(d => d.Id == "GI6001").Concat(session.InsufficientEvidenceFor("GI6001")).Should().BeEmpty();
    }
}
