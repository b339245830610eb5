using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Processes;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Tests.GunicornLogs;

public sealed class GunicornErrorLogReaderTests
{
    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", "gunicorn", name);

    private static ReadContext Read(string name)
    {
        var context = new ReadContext(name);
        new GunicornErrorLogReader().Read(LineSource.FromFile(Sample(name)), context);
        return context;
    }

    private static LogSignature Signature(ReadContext context, LogSignatureKind kind) =>
        context.Observations.OfType<LogSignature>().Single(s => s.Kind == kind);

    [Fact]
    public void A_23_x_log_gives_timeouts_kills_exits_boots_with_pids_times_and_locations()
    {
        var context = Read("error-23.log");

        var timeouts = Signature(context, LogSignatureKind.WorkerTimeout);
        timeouts.Count.Should().Be(2);
        timeouts.Pids.Should().Equal(7685, 7686);
        timeouts.FirstSeen.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 45, 22, TimeSpan.Zero));
        timeouts.LastSeen.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 51, 10, TimeSpan.Zero));
        timeouts.Examples[0].ToString().Should().Be("error-23.log:15: [2026-11-23 23:45:22 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)");
        timeouts.Timeline!.Total.Should().Be(2);

        Signature(context, LogSignatureKind.WorkerSigkill).Pids.Should().Equal(7686);
        Signature(context, LogSignatureKind.WorkerExitedWithCode).Count.Should().Be(1, "21-23 log each exit twice, once with a period");
        Signature(context, LogSignatureKind.WorkerExiting).Pids.Should().Equal(7685);
        Signature(context, LogSignatureKind.WorkerBoot).Pids.Should().Equal(7685, 7686, 7702, 7710);
        Signature(context, LogSignatureKind.ErrorHandlingRequest).Examples[0].Location.Line.Should().Be(16);
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Worker_events_keep_each_line_for_per_pid_correlation()
    {
        var events = Read("error-23.log").Observations.OfType<WorkerEvent>().ToArray();

        events.Select(e => (e.Kind, e.Pid, e.Source.Line)).Should().Equal(
            (LogSignatureKind.WorkerBoot, 7685, 13), (LogSignatureKind.WorkerBoot, 7686, 14), (LogSignatureKind.WorkerTimeout, 7685, 15),
            (LogSignatureKind.WorkerExiting, 7685, 25), (LogSignatureKind.WorkerExitedWithCode, 7685, 26), (LogSignatureKind.WorkerBoot, 7702, 28),
            (LogSignatureKind.WorkerTimeout, 7686, 29), (LogSignatureKind.WorkerSigkill, 7686, 30), (LogSignatureKind.WorkerBoot, 7710, 31));
        events.Single(e => e.Kind == LogSignatureKind.WorkerSigkill).Signal.Should().Be("SIGKILL");
        events.Single(e => e.Kind == LogSignatureKind.WorkerExitedWithCode).ExitCode.Should().Be(1);
        events.Single(e => e.Kind == LogSignatureKind.WorkerTimeout && e.Pid == 7685).MasterPid.Should().Be(7657);
    }

    [Fact]
    public void The_version_the_configuration_dump_and_the_announced_bind_become_observations()
    {
        var context = Read("error-23.log");

        context.Observations.OfType<SoftwareVersion>().Should().ContainSingle().Which.Should().Match<SoftwareVersion>(v =>
            v.Component == "gunicorn" && v.Version == new Version(23, 0, 0) && v.Source.Line == 1);
        var settings = context.Observations.OfType<ConfigParameter>().ToArray();
        settings.Should().OnlyContain(p => p.Origin == SettingOrigin.EffectiveDump && p.Scope == ConfigurationScope.Gunicorn);
        settings.Select(p => $"{p.Source.Line} {p.Name}={p.Value}").Should().Equal(
            "3 config=./gunicorn.conf.py", "4 bind=['unix:/run/gunicorn.sock']", "5 workers=3", "6 worker_class=sync", "7 timeout=30",
            "8 accesslog=None", "9 worker_tmp_dir=/dev/shm", "11 bind=['unix:/run/gunicorn.sock']", "12 worker_class=sync");
        GunicornConfiguration.Resolve(settings).Timeout.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_traceback_becomes_the_stack_of_the_worker_that_logged_it()
    {
        var stack = Read("error-23.log").Observations.OfType<StackSnapshot>().Should().ContainSingle().Subject;

        stack.Pid.Should().Be(7685);
        stack.Source.ToString().Should().Be("error-23.log:17");
        stack.Frames.Should().Equal(
            "SystemExit: 1",
            "handle_abort (/usr/lib/python3/dist-packages/gunicorn/workers/base.py:203)",
            "annual_report (/srv/app/views.py:88)",
            "handle (/usr/lib/python3/dist-packages/gunicorn/workers/sync.py:134)");
        stack.Mentions("fetchall").Should().BeFalse();
        stack.Mentions("annual_report").Should().BeTrue();
    }

    [Fact]
    public void A_traceback_logged_by_the_application_belongs_to_the_entry_right_before_it()
    {
        // The application's own "Exception on …" line carries none of the texts the reader looks for.
        var context = new ReadContext("error.log");
        new GunicornErrorLogReader().Read(LineSource.FromText("error.log", string.Join('\n',
            "[2026-11-01 10:00:00 +0000] [7657] [INFO] Booting worker with pid: 7702",
            "[2026-11-01 10:00:05 +0000] [7702] [INFO] app.request path=/reports status=200",
            "[2026-11-01 10:00:09 +0000] [7702] [ERROR] Exception on /reports/annual [GET]",
            "Traceback (most recent call last):",
            "  File \"/srv/app/views.py\", line 88, in annual_report",
            "    rows = cursor.fetchall()",
            "psycopg2.OperationalError: server closed the connection unexpectedly",
            "[2026-11-01 10:00:12 +0000] [7702] [INFO] app.request path=/ status=200")), context);

        var stack = context.Observations.OfType<StackSnapshot>().Should().ContainSingle().Subject;
        stack.Pid.Should().Be(7702);
        stack.Timestamp.Should().Be(new DateTimeOffset(2026, 11, 1, 10, 0, 9, TimeSpan.Zero));
        stack.Frames.Should().Equal("psycopg2.OperationalError: server closed the connection unexpectedly", "annual_report (/srv/app/views.py:88)");
        (context.FirstTimestamp, context.LastTimestamp).Should().Be(
            (new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 1, 10, 0, 12, TimeSpan.Zero)));
        context.Lines.Should().Be(8);
    }

    [Fact]
    public void A_19_x_log_without_brackets_or_time_zone_is_read()
    {
        var context = Read("error-19.log");

        Signature(context, LogSignatureKind.WorkerTimeout).FirstSeen.Should().Be(new DateTimeOffset(2018, 7, 3, 10, 2, 31, TimeSpan.Zero));
        Signature(context, LogSignatureKind.WorkerExiting).Pids.Should().Equal(815);
        context.Observations.OfType<SoftwareVersion>().Single().Version.Should().Be(new Version(19, 9, 0));
    }

    [Fact]
    public void Twenty_point_one_signal_numbers_become_signal_names()
    {
        var events = Read("error-20.1.log").Observations.OfType<WorkerEvent>().Where(e => e.Signal is not null).ToArray();

        events.Select(e => (e.Kind, e.Pid, e.Signal)).Should().Equal(
            (LogSignatureKind.WorkerSigkill, 42, "SIGKILL"), (LogSignatureKind.WorkerSignaled, 43, "SIGTERM"));
        events[0].Timestamp.Should().Be(new DateTimeOffset(2021, 3, 1, 9, 10, 7, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Journald_lines_are_unwrapped_and_other_programs_lines_ignored()
    {
        var context = Read("journal.log");

        Signature(context, LogSignatureKind.WorkerTimeout).Pids.Should().Equal(7685);
        Signature(context, LogSignatureKind.WorkerSigkill).Examples[0].Location.Line.Should().Be(2);
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Kubernetes_docker_cloud_logging_and_app_service_wrappers_are_unwrapped()
    {
        var context = Read("kubernetes.log");

        Signature(context, LogSignatureKind.WorkerTimeout).Pids.Should().Equal(9, 12, 15);
        Signature(context, LogSignatureKind.WorkerExiting).Pids.Should().Equal(9);
        Signature(context, LogSignatureKind.WorkerBoot).Examples[0].Location.Line.Should().Be(3);
    }

    [Fact]
    public void Heroku_app_lines_are_unwrapped_with_the_dyno_removed()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Samples", "heroku", "app-only.log");
        var context = new ReadContext("app-only.log");

        new GunicornErrorLogReader().Read(LineSource.FromFile(path), context);

        var timeouts = Signature(context, LogSignatureKind.WorkerTimeout);
        timeouts.Pids.Should().Equal(9);
        timeouts.Examples[0].ToString().Should().Be("app-only.log:3: [2026-11-23 23:45:52 +0000] [4] [CRITICAL] WORKER TIMEOUT (pid:9)");
        context.Observations.OfType<SoftwareVersion>().Single().Version.Should().Be(new Version(23, 0, 0));
        context.Problems.Should().BeEmpty();
        BuiltInReaders.Create().Detect(path).Should().Be(ArtifactKind.GunicornErrorLog);
    }

    [Fact]
    public void The_reader_recognises_error_logs_and_not_other_text()
    {
        var reader = new GunicornErrorLogReader();

        reader.Recognize("error.log", File.ReadAllLines(Sample("error-23.log"))).Should().BeGreaterThan(50);
        reader.Recognize("notes.txt", ["just some text", "nothing else"]).Should().Be(0);
    }

    [Theory]
    [InlineData("[2026-11-23 23:45:22 +9959] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)")]
    [InlineData("[2026-11-23 23:45:22 -1500] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)")]
    [InlineData("[2026-13-45 99:45:22 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)")]
    public void A_corrupted_timestamp_is_not_a_timestamp_and_does_not_throw(string line)
    {
        var context = new ReadContext("corrupt.log");

        new GunicornErrorLogReader().Read(LineSource.FromText("corrupt.log", line + "\n"), context);

        context.Observations.OfType<LogSignature>().Should().BeEmpty("a line without a valid header is a continuation, not an entry");
    }
}
