using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Dependencies;

public sealed class RedisAppendfsyncBlockingRuleTests
{
    internal const string SlowFsyncLine =
        "1:M 23 Nov 2026 23:45:02.377 * Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.";

    internal static ConfigParameter Redis(string name, string value, int line, string? instance = null) =>
        Observe.Setting(ConfigurationScope.Redis, name, SettingValue.FromText(value), "/etc/redis/redis.conf", line, instance);

    internal static LogSignature SlowFsyncs(long count, DateTimeOffset first, DateTimeOffset last, string? instance = null) =>
        Observe.Lines(LogSignatureKind.RedisSlowFsync, count, SlowFsyncLine, "/var/log/redis/redis-server.log", 2211, first: first, last: last, instance: instance);

    [Fact]
    public void Appendfsync_always_with_appendonly_and_worker_timeouts_is_critical()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685, 7690]),
            Redis("appendonly", "yes", 1379),
            Redis("appendfsync", "always", 1436));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI6001").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Critical);
        diagnosis.Message.Should().Be(
            "Gunicorn logged 3 WORKER TIMEOUT line(s) (timeout 30 s) while the Redis it uses has appendonly yes with appendfsync always, "
            + "so every write waits for fsync to reach the disk");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "error.log:17", "gunicorn defaults", "/etc/redis/redis.conf:1436", "/etc/redis/redis.conf:1379");
    }

    [Fact]
    public void Everysec_with_slow_fsync_lines_in_the_timeout_window_fires_for_the_only_redis_on_another_host()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(5, [7685], instance: "web-1", first: Observe.Incident, last: Observe.Incident.AddMinutes(3)),
            Observe.Gunicorn("timeout", SettingValue.Seconds(60), line: 4, instance: "web-1"),
            Redis("appendonly", "yes", 1379, "redis-1"),
            Redis("appendfsync", "everysec", 1436, "redis-1"),
            SlowFsyncs(14, Observe.Incident.AddSeconds(-20), Observe.Incident.AddMinutes(2), "redis-1"));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI6001").Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "Gunicorn logged 5 WORKER TIMEOUT line(s) (timeout 60 s) while the Redis it uses has appendonly yes with appendfsync everysec; "
            + "Redis logged 14 'Asynchronous AOF fsync is taking too long (disk is busy?)' line(s)");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "error.log:17", "gunicorn.conf.py:4", "/etc/redis/redis.conf:1436", "/etc/redis/redis.conf:1379", "/var/log/redis/redis-server.log:2211");
    }

    [Fact]
    public void Slow_fsync_lines_an_hour_away_from_the_timeouts_do_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685]),
            Redis("appendonly", "yes", 1379),
            Redis("appendfsync", "everysec", 1436),
            SlowFsyncs(3, Observe.Incident.AddHours(-1), Observe.Incident.AddHours(-1).AddMinutes(1)));

        session.Diagnoses.Where(d => d.Id == "GI6001").Should().BeEmpty();
    }

    [Fact]
    public void A_wider_window_parameter_links_slow_fsync_lines_further_from_the_timeouts()
    {
        var session = BuiltInRules.Factory.CreateSession(new Configuration.InsightConfiguration(parameters: new Dictionary<string, string> { ["GI6001.window"] = "120m" }));
        session.InsertAll([
            Observe.WorkerTimeouts(2, [7685]),
            Redis("appendonly", "yes", 1379),
            Redis("appendfsync", "everysec", 1436),
            SlowFsyncs(3, Observe.Incident.AddHours(-1), Observe.Incident.AddHours(-1).AddMinutes(1))]);
        session.Fire();

        session.Diagnoses.Where(d => d.Id == "GI6001").Should().ContainSingle();
    }

    [Fact]
    public void Everysec_without_slow_fsync_lines_in_a_supplied_redis_log_does_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685]),
            Redis("appendonly", "yes", 1379),
            Redis("appendfsync", "everysec", 1436),
            Observe.Version("redis", "7.0.15", "/var/log/redis/redis-server.log", 3));

        session.Diagnoses.Where(d => d.Id == "GI6001").Concat(session.InsufficientEvidenceFor("GI6001")).Should().BeEmpty();
    }

    [Fact]
    public void Appendfsync_always_without_appendonly_does_not_fire_because_the_append_only_file_is_off_by_default()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685]),
            Redis("appendfsync", "always", 1436));

        session.Diagnoses.Where(d => d.Id == "GI6001").Should().BeEmpty();
    }

    [Fact]
    public void Appendfsync_no_does_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685]),
            Redis("appendonly", "yes", 1379),
            Redis("appendfsync", "no", 1436));

        session.Diagnoses.Where(d => d.Id == "GI6001").Should().BeEmpty();
    }

    [Fact]
    public void With_two_redis_servers_on_other_hosts_the_one_the_workers_use_is_unknown_and_nothing_fires()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685], instance: "web-1"),
            Redis("appendonly", "yes", 1379, "redis-1"),
            Redis("appendfsync", "always", 1436, "redis-1"),
            Redis("appendonly", "yes", 1379, "redis-2"),
            Redis("appendfsync", "always", 1436, "redis-2"));

        session.Diagnoses.Where(d => d.Id == "GI6001").Should().BeEmpty();
    }

    [Fact]
    public void Timeouts_of_gthread_workers_are_not_blamed_on_redis_because_their_main_thread_keeps_heartbeating()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685]),
            Observe.Gunicorn("threads", SettingValue.Integer(4), line: 3),
            Redis("appendonly", "yes", 1379),
            Redis("appendfsync", "always", 1436));

        session.Diagnoses.Where(d => d.Id == "GI6001").Should().BeEmpty();
    }

    [Fact]
    public void With_gevent_workers_the_message_says_the_redis_client_must_have_blocked_the_event_loop()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685]),
            Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 3),
            Redis("appendonly", "yes", 1379),
            Redis("appendfsync", "always", 1436));

        session.Diagnoses.Where(d => d.Id == "GI6001").Should().ContainSingle().Which.Message.Should().EndWith(
            "so every write waits for fsync to reach the disk; with the gevent worker this means the client blocked the event loop "
            + "(a C extension or an unpatched socket)");
    }
}
