using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Redis;
using Gunicorn.Insights.Readers.Tests.Nginx;

namespace Gunicorn.Insights.Readers.Tests.Redis;

public sealed class RedisLogReaderTests
{
    private static string Sample(string name) => MutatedInputs.Sample("redis", name);

    private static ReadContext Read(string name)
    {
        var context = new ReadContext(name);
        new RedisLogReader().Read(LineSource.FromFile(Sample(name)), context);
        return context;
    }

    [Fact]
    public void Slow_fsync_lines_become_a_signature_and_the_version_is_read()
    {
        var context = Read("redis.log");

        context.Problems.Should().BeEmpty();
        var slow = context.Observations.OfType<LogSignature>().Should().ContainSingle().Subject;
        slow.Kind.Should().Be(LogSignatureKind.RedisSlowFsync);
        slow.Count.Should().Be(3);
        slow.Examples.Select(e => e.Location.ToString()).Should().Equal("redis.log:10", "redis.log:11", "redis.log:17");
        slow.Examples[0].Text.Should().Be(File.ReadLines(Sample("redis.log")).ElementAt(9));
        slow.FirstSeen.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 45, 20, 412, TimeSpan.Zero));
        slow.LastSeen.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 51, 10, 0, TimeSpan.Zero));
        slow.Pids.Should().BeEmpty();

        context.Observations.OfType<SoftwareVersion>().Should().ContainSingle().Which.Should().Match<SoftwareVersion>(v =>
            v.Component == "redis" && v.Version == new Version(7, 0, 15) && v.Source.Line == 2);
        context.Observations.OfType<Counter>().Select(c => $"{c.Labels["level"]} {c.Value} at {c.Source.Line}").Should().Equal(
            "notice 13 at 4", "warning 4 at 1");
    }

    [Fact]
    public void A_redis_2_log_with_banner_and_no_year_is_read_without_times()
    {
        var context = Read("redis-2.8.log");

        context.Observations.OfType<SoftwareVersion>().Should().ContainSingle().Which.Should().Match<SoftwareVersion>(v =>
            v.Version == new Version(2, 8, 4) && v.Source.Line == 3);
        var slow = context.Observations.OfType<LogSignature>().Single();
        slow.Examples[0].Location.Line.Should().Be(21);
        slow.FirstSeen.Should().BeNull();
        context.Problems.Select(p => $"{p.Location.Line}: {p.Message}").Should().Equal(
            "19: Redis 2.x log lines carry no year; their times were not kept",
            "22: not a Redis log line (pid:role DD Mon YYYY HH:MM:SS.mmm level message); skipped");
    }

    [Fact]
    public void Docker_wrapped_lines_are_unwrapped()
    {
        var context = new ReadContext("redis.log");
        new RedisLogReader().Read(LineSource.FromText("redis.log",
            "2026-11-23T23:45:20.412000000Z 1:M 23 Nov 2026 23:45:20.412 * Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.\n"),
            context);

        context.Problems.Should().BeEmpty();
        context.Observations.OfType<LogSignature>().Single().Examples[0].Text.Should().StartWith("1:M 23 Nov 2026");
    }

    [Fact]
    public void The_warning_redis_writes_from_its_signal_handler_on_shutdown_is_a_log_line()
    {
        // Redis 7.0.15 stopped with SIGTERM, as systemctl stop does.
        var context = new ReadContext("redis.log");
        new RedisLogReader().Read(LineSource.FromText("redis.log",
            "28175:M 24 Nov 2026 02:49:34.943 * Ready to accept connections\n"
            + "28175:signal-handler (1795488575) Received SIGTERM scheduling shutdown...\n"
            + "28175:M 24 Nov 2026 02:49:35.445 # User requested shutdown...\n"),
            context);

        context.Problems.Should().BeEmpty();
        context.Observations.OfType<Counter>().Select(c => $"{c.Labels["level"]} {c.Value} at {c.Source.Line}").Should().Equal(
            "notice 1 at 1", "warning 2 at 2");
        context.LastTimestamp.Should().Be(new DateTimeOffset(2026, 11, 24, 2, 49, 35, 445, TimeSpan.Zero));
        context.FirstTimestamp.Should().Be(new DateTimeOffset(2026, 11, 24, 2, 49, 34, 943, TimeSpan.Zero));
    }

    [Fact]
    public void The_reader_recognises_redis_logs_and_not_gunicorn_logs()
    {
        var reader = new RedisLogReader();

        reader.Recognize("redis-server.log", File.ReadAllLines(Sample("redis.log"))).Should().BeGreaterThan(80);
        reader.Recognize("redis.log", File.ReadAllLines(Sample("redis-2.8.log"))).Should().BeGreaterThan(50);
        reader.Recognize("error.log", File.ReadAllLines(MutatedInputs.Sample("gunicorn", "error-23.log"))).Should().Be(0);
        reader.Recognize("error.log", File.ReadAllLines(MutatedInputs.Sample("nginx", "error.log"))).Should().Be(0);
        new GunicornErrorLogReader().Recognize("redis.log", File.ReadAllLines(Sample("redis.log"))).Should().Be(0);
        new GunicornErrorLogReader().Recognize("redis.log", File.ReadAllLines(Sample("redis-2.8.log"))).Should().Be(0);
    }

    [Fact]
    public void RedisLogReader_survives_mutated_input()
    {
        var elapsed = MutatedInputs.Run(new RedisLogReader(), [Sample("redis.log"), Sample("redis-2.8.log")], seed: 5);

        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }
}
