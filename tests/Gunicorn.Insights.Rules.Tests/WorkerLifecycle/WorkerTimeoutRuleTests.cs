using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
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
        BuiltInRules.Fixture.Given(Timeouts(3, 7685, 7690))
            .Expect("GI1001").FiresOnce()
            .WithSeverity(Severity.Warning)
            .WithMessage(
                "Gunicorn logged 3 WORKER TIMEOUT line(s) for 2 worker(s); the worker timeout is 30 s (Gunicorn's default; no timeout setting was found)")
            .WithEvidenceExactlyAt("error.log:17", "gunicorn defaults");
    }

    [Fact]
    public void Worker_timeouts_read_from_the_error_log_cite_the_timeout_read_from_gunicorn_conf_py()
    {
        BuiltInRules.Fixture
            .GivenArtifact("gunicorn.conf.py", "bind = \"unix:/run/gunicorn.sock\"\nworkers = 3\ntimeout = 60\n")
            .GivenArtifact("error.log",
                "[2026-11-23 23:45:22 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)\n"
                + "[2026-11-23 23:45:23 +0000] [7657] [INFO] Booting worker with pid: 7701\n"
                + "[2026-11-23 23:47:02 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7690)\n")
            .Run()
            .ExpectNoReadProblems()
            .Expect("GI1001").FiresOnce()
            .WithMessage("Gunicorn logged 2 WORKER TIMEOUT line(s) for 2 worker(s); the worker timeout is 60 s")
            .WithEvidenceExactlyAt("error.log:1", "gunicorn.conf.py:3");
    }

    [Fact]
    public void Worker_timeouts_with_a_configured_timeout_cite_the_setting_where_it_was_set()
    {
        var session = BuiltInRules.Analyze(
            Timeouts(1, 7685),
            new ConfigParameter(ConfigurationScope.Gunicorn, "timeout", SettingValue.Seconds(60), SettingOrigin.ConfigurationFile,
                new SourceLocation("gunicorn.conf.py", 3)));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI1001").Should().ContainSingle().Subject;
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

        session.Diagnoses.Should().NotContain(d => d.Id.StartsWith("GI1", StringComparison.Ordinal));
    }

    [Fact]
    public void Request_durations_and_gunicorns_follow_up_sigkill_are_named_with_counts()
    {
        var session = BuiltInRules.Analyze(
            Observe.Worker(LogSignatureKind.WorkerTimeout, 7685, Observe.Incident, 20),
            Observe.Worker(LogSignatureKind.WorkerSigkill, 7685, Observe.Incident.AddSeconds(1), 21),
            Observe.Worker(LogSignatureKind.WorkerTimeout, 7702, Observe.Incident.AddSeconds(40), 23),
            Observe.Durations(buckets: [(0.5, 900), (1, 1100), (5, 1180), (10, 1190), (30, 1196), (60, 1200), (double.PositiveInfinity, 1200)]));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI1001").Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "Gunicorn logged 2 WORKER TIMEOUT line(s) for 2 worker(s); the worker timeout is 30 s (Gunicorn's default; no timeout setting was found)"
            + "; the request-duration histogram shows 4 of 1200 request(s) slower than the timeout"
            + "; 1 timed-out worker(s) (pid 7685) then got SIGKILL from Gunicorn itself because they did not exit on SIGABRT: stuck hard "
            + "(C code, uninterruptible I/O), not killed for memory, whatever the log's \"Perhaps out of memory?\" suggests");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "error.log:20", "error.log:23", "gunicorn defaults", "prometheus", "error.log:21");
    }

    [Fact]
    public void A_histogram_whose_buckets_end_below_the_timeout_gives_an_upper_limit()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685, 7690]),
            Observe.Gunicorn("timeout", SettingValue.Seconds(60), line: 3),
            Observe.Durations(buckets: [(0.1, 700), (1, 980), (10, 995), (double.PositiveInfinity, 1000)]));

        session.Diagnoses.Where(d => d.Id == "GI1001").Should().ContainSingle().Which.Message.Should().Be(
            "Gunicorn logged 2 WORKER TIMEOUT line(s) for 2 worker(s); the worker timeout is 60 s"
            + "; the request-duration histogram shows at most 5 of 1000 request(s) slower than the timeout: its buckets end at 10 s, "
            + "below the timeout");
    }

    [Fact]
    public void A_histogram_read_from_a_log_knows_that_nothing_lies_beyond_its_last_bucket()
    {
        // An access log's histogram lists only the buckets that hold requests: +Inf adding nothing means none is slower.
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(1, [7685]),
            Observe.Gunicorn("timeout", SettingValue.Seconds(2), line: 4),
            Observe.Durations(buckets: [(0.00049, 0), (0.0005, 3), (0.198, 3), (0.202, 4), (double.PositiveInfinity, 4)]));

        session.Diagnoses.Where(d => d.Id == "GI1001").Should().ContainSingle().Which.Message.Should().Be(
            "Gunicorn logged 1 WORKER TIMEOUT line(s) for 1 worker(s); the worker timeout is 2 s"
            + "; the request-duration histogram shows 0 of 4 request(s) slower than the timeout");
    }

    [Fact]
    public void A_sigkill_without_a_timeout_before_it_is_not_called_a_follow_up_kill()
    {
        var session = BuiltInRules.Analyze(
            Observe.Worker(LogSignatureKind.WorkerTimeout, 7685, Observe.Incident, 20),
            Observe.Worker(LogSignatureKind.WorkerSigkill, 7701, Observe.Incident.AddSeconds(1), 21));

        session.Diagnoses.Where(d => d.Id == "GI1001").Should().ContainSingle().Which.Message.Should().Be(
            "Gunicorn logged 1 WORKER TIMEOUT line(s) for 1 worker(s); the worker timeout is 30 s (Gunicorn's default; no timeout setting was found)");
    }

    [Fact]
    public void A_healthy_deployment_gets_no_worker_lifecycle_warning_and_no_undecided_lifecycle_rule()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("bind", SettingValue.List(["unix:/run/gunicorn.sock"]), line: 1),
            Observe.Gunicorn("workers", SettingValue.Integer(9), line: 2),
            Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 3),
            Observe.Gunicorn("worker_tmp_dir", SettingValue.FromText("/dev/shm"), line: 4),
            Observe.Gunicorn("accesslog", SettingValue.FromText("-"), line: 5),
            Observe.Host(cpus: 4, memoryMebibytes: 8192, platform: PlatformKind.Systemd),
            Observe.Mount("/", "ext4", line: 1),
            Observe.Mount("/dev/shm", "tmpfs", line: 2),
            Observe.Lines(LogSignatureKind.WorkerBoot, 9, "[2026-11-23 23:40:01 +0000] [7660] [INFO] Booting worker with pid: 7660"),
            Observe.Traffic(5200),
            Observe.Durations(buckets: [(0.1, 4000), (0.5, 5000), (1, 5150), (2, 5200), (double.PositiveInfinity, 5200)]));

        session.Diagnoses.Should().NotContain(d => d.Id.StartsWith("GI1", StringComparison.Ordinal));
        session.Diagnoses.Should().NotContain(d => d.Id == "GI0003" && d.Message.StartsWith("GI1", StringComparison.Ordinal));
    }

    [Fact]
    public void Odd_but_valid_inputs_never_make_a_worker_lifecycle_rule_throw()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685]),
            Observe.Worker(LogSignatureKind.WorkerTimeout, 7685, null, 30),
            Observe.Worker(LogSignatureKind.WorkerSigkill, 7685, null, 31),
            Observe.Gunicorn("timeout", SettingValue.Seconds(0), line: 2),
            Observe.Host(platform: PlatformKind.GoogleAppEngine),
            Observe.Durations(buckets: [(1, 10), (5, 12)]),
            Observe.Durations(path: "/x", buckets: [(double.PositiveInfinity, 40)]),
            Observe.Mount("/srv", "xfs"),
            Observe.Stack(9, "worker", null));

        session.Diagnoses.Should().NotContain(d => d.Id == "GI0001");
        session.Diagnoses.Where(d => d.Id == "GI1001").Should().ContainSingle().Which.Message.Should().StartWith(
            "Gunicorn logged 2 WORKER TIMEOUT line(s) for 1 worker(s); the worker timeout is 0 s");
    }
}
