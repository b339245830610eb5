using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Tests.Derivations;

public sealed class SharedFindingTests
{
    [Fact]
    public void Worker_timeouts_of_one_instance_are_summed_across_inputs_with_the_timeout_that_applied()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [101, 102], line: 10, file: "error.log"),
            Observe.WorkerTimeouts(2, [103], line: 4, file: "error.log.1"),
            Observe.Gunicorn("timeout", SettingValue.Seconds(45), line: 7));

        var timeouts = session.Query<WorkerTimeouts>().Should().ContainSingle().Subject;
        timeouts.Count.Should().Be(5);
        timeouts.Pids.Should().Equal(101, 102, 103);
        timeouts.Timeout.Should().Be(TimeSpan.FromSeconds(45));
        timeouts.Evidence.Select(e => e.Source.ToString()).Should().Equal("error.log:10", "error.log.1:4", "gunicorn.conf.py:7");
    }

    [Fact]
    public void No_worker_timeouts_means_no_finding()
    {
        var session = BuiltInRules.Analyze(Observe.Lines(LogSignatureKind.WorkerBoot, 3, "[INFO] Booting worker with pid: 8"));

        session.Query<WorkerTimeouts>().Should().BeEmpty();
    }

    [Fact]
    public void A_pool_with_every_worker_busy_in_enough_samples_is_saturated()
    {
        var session = BuiltInRules.Analyze([.. Observe.Busy(3, 3, 3, 2, 3, 1, 3)]);

        var saturation = session.Query<WorkerPoolSaturation>().Should().ContainSingle().Subject;
        saturation.SaturatedSamples.Should().Be(4);
        saturation.Samples.Should().Be(6);
        saturation.Capacity.Should().Be(3);
        saturation.Describe().Should().Be("all 3 workers busy in 4 of 6 samples (66.7 %)");
    }

    [Fact]
    public void A_moment_at_full_capacity_is_not_saturation()
    {
        var session = BuiltInRules.Analyze([.. Observe.Busy(4, 4, 1, 2, 4, 1, 0, 2, 1, 3, 2)]);

        session.Query<WorkerPoolSaturation>().Should().BeEmpty();
    }

    [Fact]
    public void A_full_listen_backlog_reported_by_nginx_is_saturation()
    {
        var session = BuiltInRules.Analyze(Observe.Lines(LogSignatureKind.UpstreamConnectFailed, 12,
            "2026/11/23 23:45:22 [error] 31#31: *4 connect() to unix:/run/gunicorn.sock failed (11: Resource temporarily unavailable) while connecting to upstream",
            "nginx-error.log", 88));

        session.Query<WorkerPoolSaturation>().Should().ContainSingle().Which.BacklogOverflows.Should().Be(12);
    }

    [Fact]
    public void A_sigkill_a_second_after_a_timeout_of_the_same_pid_is_gunicorns_follow_up_kill()
    {
        var session = BuiltInRules.Analyze(
            Observe.Worker(LogSignatureKind.WorkerTimeout, 7685, Observe.Incident, 20),
            Observe.Worker(LogSignatureKind.WorkerSigkill, 7685, Observe.Incident.AddSeconds(1), 21),
            Observe.Worker(LogSignatureKind.WorkerSigkill, 7701, Observe.Incident.AddSeconds(2), 22),
            Observe.Worker(LogSignatureKind.WorkerTimeout, 7702, Observe.Incident.AddSeconds(3), 23),
            Observe.Worker(LogSignatureKind.WorkerSigkill, 7702, Observe.Incident.AddSeconds(30), 24));

        session.Query<WorkerKill>().Select(k => (k.Kill.Pid, k.AfterTimeout)).Should().Equal((7685, true), (7701, false), (7702, false));
    }

    [Fact]
    public void Without_times_a_sigkill_after_a_timeout_line_of_the_same_pid_in_the_same_file_is_a_follow_up()
    {
        var session = BuiltInRules.Analyze(
            Observe.Worker(LogSignatureKind.WorkerTimeout, 7685, null, 5),
            Observe.Worker(LogSignatureKind.WorkerSigkill, 7685, null, 6));

        session.Query<WorkerKill>().Should().ContainSingle().Which.AfterTimeout.Should().BeTrue();
    }

    [Fact]
    public void Cpu_samples_at_ninety_percent_or_more_make_a_cpu_saturation_with_its_peak()
    {
        var session = BuiltInRules.Analyze(
            Observe.Cpu(35, line: 1), Observe.Cpu(99.7, pid: 8123, process: "gunicorn: worker [app]", line: 8), Observe.Cpu(91, line: 2));

        var saturation = session.Query<CpuSaturation>().Should().ContainSingle().Subject;
        saturation.Describe().Should().Be("CPU saturated in 2 of 3 samples, peak 99.7 %");
        saturation.SaturatedPids.Should().Equal(8123);
        saturation.Evidence.Select(e => e.Source.ToString()).Should().Equal("top.txt:8", "top.txt:2");
    }

    [Fact]
    public void Busy_but_unsaturated_cpu_is_no_finding()
    {
        BuiltInRules.Analyze(Observe.Cpu(85), Observe.Cpu(60)).Query<CpuSaturation>().Should().BeEmpty();
    }
}
