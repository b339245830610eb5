using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Readers.Tests;

/// <summary>
/// Logs written by a real Gunicorn (Debian's 20.1.0), captured with
/// <c>gunicorn --bind 127.0.0.1:18931 --workers 2 --timeout 2 --log-level debug --access-logfile access.log
/// --error-logfile error.log --access-logformat '… rt=%(L)s busy=%({x-busy}i)s' app:application</c>: three fast requests,
/// <c>/slow?s=5</c> (killed by the 2 s timeout, so absent from the access log), <c>/slow?s=0.3</c>, a worker killed with
/// <c>kill -9</c>, <c>/health</c>, then SIGTERM.
/// </summary>
public sealed class RealGunicornRunTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Samples", "gunicorn-20.1-real");

    private static ReadResult Read() => BuiltInReaders.Create().Read([new ArtifactRequest(Folder)]);

    [Fact]
    public void The_real_logs_are_detected_and_read_without_problems()
    {
        var result = Read();

        result.Inputs.Select(i => (Path.GetFileName(i.Path), i.Kind)).Should().BeEquivalentTo(
            [("access.log", ArtifactKind.GunicornAccessLog), ("error.log", ArtifactKind.GunicornErrorLog)]);
        result.Problems.Should().BeEmpty();
    }

    [Fact]
    public void The_error_log_gives_the_timeout_the_signal_kill_the_version_and_the_effective_settings()
    {
        var observations = Read().Observations;

        observations.OfType<LogSignature>().Single(s => s.Kind == LogSignatureKind.WorkerTimeout).Pids.Should().Equal(2849);
        observations.OfType<WorkerEvent>().Single(e => e.Kind == LogSignatureKind.WorkerSigkill).Should().Match<WorkerEvent>(e =>
            e.Pid == 2850 && e.Signal == "SIGKILL" && e.Text.EndsWith("Worker with pid 2850 was terminated due to signal 9"));
        observations.OfType<SoftwareVersion>().Single().Version.Should().Be(new Version(20, 1, 0));
        var configuration = GunicornConfiguration.Resolve(observations.OfType<ConfigParameter>());
        configuration.Timeout.Should().Be(TimeSpan.FromSeconds(2));
        configuration.WorkerCount(null).Should().Be(2);
        configuration.Bind.Should().Equal("127.0.0.1:18931");
    }

    [Fact]
    public void The_access_log_has_the_requests_that_finished_and_not_the_one_the_timeout_killed()
    {
        var observations = Read().Observations;

        var traffic = observations.OfType<TrafficSummary>().Single(t => t.Path is null);
        traffic.Requests.Should().Be(5);
        observations.OfType<TrafficSummary>().Select(t => t.Path).Should().NotContain("/slow?s=5").And.Contain("/slow");
        observations.OfType<WorkerUtilization>().Select(u => $"{u.Busy}/{u.Total}").Should().Equal("1/2", "1/2", "1/2", "2/2");
        var durations = observations.OfType<RequestDurationHistogram>().Single(h => !h.Labels.ContainsKey("path"));
        durations.Percentile(1)!.Value.TotalMilliseconds.Should().BeApproximately(300.453, 300.453 * 0.02);
    }

    [Fact]
    public void The_rules_diagnose_the_real_timeout_and_tell_the_outside_kill_from_gunicorns_own()
    {
        var session = RuleSet.FromAssemblies(typeof(RuleDescriptors).Assembly).Compile().CreateSession();
        session.InsertAll(Read().Observations);

        session.Fire();

        session.Diagnoses.Single(d => d.Id == "GI1001").Message.Should().StartWith(
            "Gunicorn logged 1 WORKER TIMEOUT line(s) for 1 worker(s); the worker timeout is 2 s");
        session.Diagnoses.Should().Contain(d => d.Id == "GI1002", "2 s is far below a sensible minimum");
        session.Query<WorkerKill>().Should().ContainSingle().Which.AfterTimeout.Should().BeFalse(
            "pid 2850 never timed out: its SIGKILL came from outside Gunicorn");
    }
}
