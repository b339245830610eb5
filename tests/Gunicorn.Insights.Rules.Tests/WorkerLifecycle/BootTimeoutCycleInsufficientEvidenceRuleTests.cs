using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;

namespace Gunicorn.Insights.Rules.Tests.WorkerLifecycle;

public sealed class BootTimeoutCycleInsufficientEvidenceRuleTests
{
    private static Diagnosis[] Undecided(Engine.RuleSession session) =>
        [.. session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith("GI1006 ", StringComparison.Ordinal))];

    [Fact]
    public void A_single_boot_to_timeout_cycle_asks_for_a_longer_log()
    {
        var session = BuiltInRules.Analyze(
            Observe.Host(platform: PlatformKind.GoogleAppEngine),
            Observe.Worker(LogSignatureKind.WorkerBoot, 101, Observe.Incident, 1),
            Observe.Worker(LogSignatureKind.WorkerTimeout, 101, Observe.Incident.AddSeconds(31), 2));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI1006");
        var diagnosis = Undecided(session).Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            "GI1006 Gunicorn workers enter infinite timeout-SIGKILL cycle on Google App Engine could not conclude: on Google App Engine with "
            + "preload_app False, 1 worker(s) timed out right after booting (pid 101), fewer than the 2 cycles that make a repeating cycle; "
            + "supply a longer stretch of the log (gcloud app logs read) to see whether fresh workers keep timing out");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("host.txt:1", "error.log:1", "error.log:2", "gunicorn defaults");
    }

    [Fact]
    public void Counted_timeouts_without_boot_lines_cannot_be_related_to_worker_starts()
    {
        var session = BuiltInRules.Analyze(
            Observe.Host(platform: PlatformKind.GoogleCloudRun),
            Observe.WorkerTimeouts(12, [101, 102, 103]));

        Undecided(session).Should().ContainSingle().Which.Message.Should().Be(
            "GI1006 Gunicorn workers enter infinite timeout-SIGKILL cycle on Google App Engine could not conclude: on Google Cloud Run with "
            + "preload_app False, 12 WORKER TIMEOUT line(s) were logged, but no timestamped Booting worker line of the same pids shows how "
            + "long after their start the workers timed out; supply the full error log with timestamps, including the Booting worker with "
            + "pid lines (gcloud app logs read)");
    }

    [Fact]
    public void Outside_app_engine_and_cloud_run_nothing_is_asked()
    {
        var session = BuiltInRules.Analyze(Observe.Host(platform: PlatformKind.Heroku), Observe.WorkerTimeouts(12, [101]));

        Undecided(session).Should().BeEmpty();
    }
}
