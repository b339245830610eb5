using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Nginx;
using Gunicorn.Insights.Readers.Platforms;
using Gunicorn.Insights.Readers.Redis;
using Gunicorn.Insights.Rules;

namespace Gunicorn.Insights.Readers.Tests.Nginx;

/// <summary>The rules fire from what the nginx, Redis and Heroku readers read out of real-format samples.</summary>
public sealed class NginxRedisHerokuDiagnosisTests
{
    private static readonly ArtifactReaders Readers = new(
    [
        new GunicornErrorLogReader(), new NginxConfigReader(), new NginxErrorLogReader(), new NginxAccessLogReader(),
        new RedisConfigReader(), new RedisLogReader(), new HerokuRouterLogReader(),
    ]);

    private static IReadOnlyList<Diagnostics.Diagnosis> Diagnose(params (string Area, string Name)[] samples)
    {
        var result = Readers.Read(samples.Select(s => new ArtifactRequest(MutatedInputs.Sample(s.Area, s.Name)) { Instance = "web-1" }));
        result.Problems.Should().BeEmpty();
        var session = RuleSet.FromAssemblies(typeof(RuleDescriptors).Assembly).Compile().CreateSession();
        session.InsertAll(result.Observations);
        session.Fire();
        return session.Diagnoses;
    }

    [Fact]
    public void Detection_gives_each_sample_its_kind()
    {
        Readers.Detect(MutatedInputs.Sample("nginx", "nginx.conf")).Should().Be(ArtifactKind.NginxConfig);
        Readers.Detect(MutatedInputs.Sample("nginx", "error.log")).Should().Be(ArtifactKind.NginxErrorLog);
        Readers.Detect(MutatedInputs.Sample("nginx", "access.log")).Should().Be(ArtifactKind.NginxAccessLog);
        Readers.Detect(MutatedInputs.Sample("redis", "redis.conf")).Should().Be(ArtifactKind.RedisConfig);
        Readers.Detect(MutatedInputs.Sample("redis", "redis.log")).Should().Be(ArtifactKind.RedisLog);
        Readers.Detect(MutatedInputs.Sample("heroku", "router.log")).Should().Be(ArtifactKind.HerokuRouterLog);
        Readers.Detect(MutatedInputs.Sample("gunicorn", "error-23.log")).Should().Be(ArtifactKind.GunicornErrorLog);
    }

    [Fact]
    public void Premature_closes_at_the_time_of_worker_timeouts_are_diagnosed()
    {
        var diagnoses = Diagnose(("gunicorn", "error-23.log"), ("nginx", "error.log"), ("nginx", "access.log"), ("nginx", "nginx.conf"));

        var closed = diagnoses.Should().Contain(d => d.Id == "GI4003").Subject;
        closed.Instance.Should().Be("web-1");
        closed.Evidence.Select(e => e.Location.ToString()).Should().Contain(MutatedInputs.Sample("nginx", "error.log") + ":5");
    }

    [Fact]
    public void Redis_fsync_stalls_at_the_time_of_worker_timeouts_are_diagnosed()
    {
        var diagnoses = Diagnose(("gunicorn", "error-23.log"), ("redis", "redis.conf"), ("redis", "redis.log"));

        diagnoses.Should().Contain(d => d.Id == "GI6001").Which.Message.Should().Contain("appendfsync always");
    }

    [Fact]
    public void Heroku_request_timeouts_outlived_by_the_worker_are_diagnosed()
    {
        var diagnoses = Diagnose(("gunicorn", "error-23.log"), ("heroku", "router.log"));

        diagnoses.Should().Contain(d => d.Id == "GI5001");
    }
}
