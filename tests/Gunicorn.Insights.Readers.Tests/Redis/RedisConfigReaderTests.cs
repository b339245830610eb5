using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Nginx;
using Gunicorn.Insights.Readers.Redis;
using Gunicorn.Insights.Readers.Tests.Nginx;

namespace Gunicorn.Insights.Readers.Tests.Redis;

public sealed class RedisConfigReaderTests
{
    private static string Sample(string name) => MutatedInputs.Sample("redis", name);

    private static ReadContext Read(string name)
    {
        var context = new ReadContext(name);
        new RedisConfigReader().Read(LineSource.FromFile(Sample(name)), context);
        return context;
    }

    private static string[] Lines(ReadContext context) =>
        context.Observations.OfType<ConfigParameter>().Select(p => $"{p.Source.Line} {p.Name}={p.Value}").ToArray();

    [Fact]
    public void A_redis_conf_gives_the_persistence_memory_and_network_settings_typed()
    {
        var context = Read("redis.conf");

        context.Problems.Should().BeEmpty();
        Lines(context).Should().Equal(
            "8 bind=['127.0.0.1', '-::1']",
            "10 port=6379",
            "11 tcp-backlog=511",
            "12 timeout=0",
            "13 tcp-keepalive=300",
            "16 loglevel=notice",
            "20 save=['3600 1']",
            "21 save=['3600 1', '300 100', '60 10000']",
            "23 maxmemory=2147483648",
            "24 maxmemory-policy=allkeys-lru",
            "25 requirepass=***",
            "27 appendonly=True",
            "29 appendfsync=always",
            "30 no-appendfsync-on-rewrite=False");
        var parameters = context.Observations.OfType<ConfigParameter>().ToArray();
        parameters.Should().OnlyContain(p => p.Scope == ConfigurationScope.Redis && p.Origin == SettingOrigin.ConfigurationFile);
        parameters.Single(p => p.Name == "appendonly").Value.TryGetBoolean(out var appendOnly).Should().BeTrue();
        appendOnly.Should().BeTrue();
        parameters.Single(p => p.Name == "tcp-keepalive").Value.TryGetDuration(out var keepalive).Should().BeTrue();
        keepalive.Should().Be(TimeSpan.FromMinutes(5));
        parameters.Should().NotContain(p => p.Value.Text.Contains("horse") || p.Describe().Contains("horse"));
    }

    [Theory]
    [InlineData("maxmemory 100", 100)]
    [InlineData("maxmemory 1k", 1000)]
    [InlineData("maxmemory 1kb", 1024)]
    [InlineData("maxmemory 512MB", 512L * 1024 * 1024)]
    [InlineData("maxmemory 3g", 3_000_000_000)]
    public void Redis_memory_units_become_bytes(string line, long bytes)
    {
        var context = new ReadContext("redis.conf");
        new RedisConfigReader().Read(LineSource.FromText("redis.conf", line), context);

        context.Observations.OfType<ConfigParameter>().Single().Value.TryGetInteger(out var value).Should().BeTrue();
        value.Should().Be(bytes);
    }

    [Fact]
    public void Bad_values_are_reported_with_their_lines_and_names_are_case_insensitive()
    {
        var context = Read("broken.conf");

        context.Problems.Select(p => $"{p.Location.Line}: {p.Message}").Should().Equal(
            "1: appendonly must be yes or no, not 'maybe'; skipped",
            "2: appendfsync must be always, everysec or no, not 'sometimes'; skipped",
            "3: maxmemory takes one value, got 2; skipped",
            "4: maxmemory 'lots' is not a Redis memory size (e.g. 2gb, 512mb); skipped",
            "5: save takes pairs of <seconds> <changes> (or \"\" to disable snapshots); skipped",
            "6: unbalanced quotes in a Redis directive; skipped",
            "7: port 'http' is not a whole number; skipped");
        Lines(context).Should().Equal("8 save=[]", "9 appendfsync=everysec");
        context.Observations.OfType<ConfigParameter>().Last().WrittenAs.Should().Be("APPENDFSYNC");
    }

    [Fact]
    public void The_reader_recognises_redis_conf_and_not_other_configuration()
    {
        var reader = new RedisConfigReader();

        reader.Recognize("redis.conf", File.ReadAllLines(Sample("redis.conf"))).Should().BeGreaterThan(80);
        reader.Recognize("6379.conf", File.ReadAllLines(Sample("redis.conf"))).Should().BeGreaterThan(50);
        reader.Recognize("nginx.conf", File.ReadAllLines(MutatedInputs.Sample("nginx", "nginx.conf"))).Should().Be(0);
        reader.Recognize("error.log", File.ReadAllLines(MutatedInputs.Sample("gunicorn", "error-23.log"))).Should().Be(0);
        reader.Recognize("gunicorn.conf.py", ["bind = 'unix:/run/gunicorn.sock'", "timeout = 30"]).Should().Be(0);
        new NginxConfigReader().Recognize("redis.conf", File.ReadAllLines(Sample("redis.conf"))).Should().Be(0);
        new GunicornErrorLogReader().Recognize("redis.conf", File.ReadAllLines(Sample("redis.conf"))).Should().Be(0);
    }

    [Fact]
    public void RedisConfigReader_survives_mutated_input()
    {
        var elapsed = MutatedInputs.Run(new RedisConfigReader(), [Sample("redis.conf"), Sample("broken.conf")], seed: 4);

        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }
}
