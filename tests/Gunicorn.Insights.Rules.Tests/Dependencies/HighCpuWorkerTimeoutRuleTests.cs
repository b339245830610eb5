using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Dependencies;

public sealed class HighCpuWorkerTimeoutRuleTests
{
    [Fact]
    public void Timeouts_on_a_saturated_host_with_a_hot_timed_out_worker_fire_and_name_the_crowded_worker_count()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685, 7690]),
            Observe.Gunicorn("workers", SettingValue.Integer(9), line: 2),
            Observe.Host(cpus: 2),
            Observe.Cpu(100, line: 3),
            Observe.Cpu(98, pid: 7685, process: "gunicorn: worker [shop]", line: 8),
            Observe.Cpu(12, pid: 7702, process: "gunicorn: worker [shop]", line: 9));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI6006").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be(
            "Gunicorn logged 3 WORKER TIMEOUT line(s) (timeout 30 s) while 2 of 3 CPU sample(s) were at or above 90 % (peak 100 %); "
            + "the host's CPUs were at or above 90 % in 1 sample(s); timed-out worker(s) 7685 used a full core; "
            + "9 workers on 2 core(s) is more than (2 × CPU cores) + 1 = 5");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:17", "gunicorn defaults", "top.txt:3", "top.txt:8", "host.txt:1");
    }

    [Fact]
    public void As_many_processes_at_a_full_core_as_the_host_has_cores_is_starvation()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(1, [7711]),
            Observe.Host(cpus: 2),
            Observe.Cpu(99, pid: 7685, process: "gunicorn: worker [shop]", line: 8),
            Observe.Cpu(97, pid: 7690, process: "gunicorn: worker [shop]", line: 9));

        session.Diagnoses.Where(d => d.Id == "GI6006").Should().ContainSingle().Which.Message.Should().EndWith(
            "; 2 processes each used a full core on 2 CPU core(s)");
    }

    [Fact]
    public void One_busy_process_that_did_not_time_out_on_a_host_with_spare_cores_does_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685]),
            Observe.Host(cpus: 8),
            Observe.Cpu(35, line: 3),
            Observe.Cpu(100, pid: 912, process: "postgres: checkpointer", line: 8));

        session.Diagnoses.Where(d => d.Id == "GI6006").Should().BeEmpty();
    }

    [Fact]
    public void A_saturated_cpu_without_worker_timeouts_does_not_fire()
    {
        var session = BuiltInRules.Analyze(Observe.Host(cpus: 2), Observe.Cpu(100, line: 3));

        session.Diagnoses.Where(d => d.Id == "GI6006").Should().BeEmpty();
    }

    [Fact]
    public void Cpu_samples_taken_long_after_the_timeouts_do_not_explain_them()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685], first: Observe.Incident.AddHours(-2)),
            Observe.Host(cpus: 2),
            Observe.Cpu(100, line: 3));

        session.Diagnoses.Where(d => d.Id == "GI6006").Should().BeEmpty();
    }
}
