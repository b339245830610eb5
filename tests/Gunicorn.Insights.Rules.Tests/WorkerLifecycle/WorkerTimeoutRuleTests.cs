using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.WorkerLifecycle;

public sealed class WorkerTimeoutRuleTests
{
    private static LogSignature Timeouts(int count, params int[] pids) =>
        new(LogSignatureKind.WorkerTimeout, count,
            [new LogExample(new SourceLocation("error.log", 17), $"[2026-11-23 23:45:22 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:{pids[0]})")])
        {
            Pids = pids,
        };

    [Fact]
    public void Worker_timeouts_with_the_default_timeout_name_the_default_and_the_log_line()
    {
        var session = BuiltInRules.Analyze(Timeouts(3, 7685, 7690));

        var diagnosis = session.Diagnoses.Should().ContainSingle().Subject;
        diagnosis.Id.Should().Be("GI1001");
        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be(
            "Gunicorn logged 3 WORKER TIMEOUT line(s) for 2 worker(s); the worker timeout is 30 s (Gunicorn's default; no timeout setting was found)");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:17", "gunicorn defaults");
    }

    [Fact]
    public void Worker_timeouts_with_a_configured_timeout_cite_the_setting_where_it_was_set()
    {
        var session = BuiltInRules.Analyze(
            Timeouts(1, 7685),
            new ConfigParameter(ConfigurationScope.Gunicorn, "timeout", SettingValue.Seconds(60), SettingOrigin.ConfigurationFile,
                new SourceLocation("gunicorn.conf.py", 3)));

        var diagnosis = session.Diagnoses.Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be("Gunicorn logged 1 WORKER TIMEOUT line(s) for 1 worker(s); the worker timeout is 60 s");
        diagnosis.Evidence.Select(e => e.ToString()).Should().Equal(
            "error.log:17: WorkerTimeout × 1 (pids 7685): [2026-11-23 23:45:22 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)",
            "gunicorn.conf.py:3: timeout = 60");
    }

    [Fact]
    public void Worker_exits_without_a_timeout_do_not_fire()
    {
        var session = BuiltInRules.Analyze(new LogSignature(LogSignatureKind.WorkerExiting, 4,
            [new LogExample(new SourceLocation("error.log", 3), "[INFO] Worker exiting (pid: 7685)")]));

        session.Diagnoses.Should().BeEmpty();
    }
}
