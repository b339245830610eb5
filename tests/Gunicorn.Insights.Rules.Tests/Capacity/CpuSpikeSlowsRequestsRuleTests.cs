using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Tests.Capacity;

public sealed class CpuSpikeSlowsRequestsRuleTests
{
    private static readonly (double, double)[] SlowBuckets = [(0.5, 200), (1, 400), (2.5, 600), (5, 700), (10, 790), (double.PositiveInfinity, 800)];

    [Fact]
    public void A_worker_at_a_full_core_with_a_slow_p95_fires()
    {
        var session = BuiltInRules.Analyze(
            Observe.Cpu(99.7, pid: 8123, process: "gunicorn: worker [app]", line: 8),
            Observe.Cpu(35, line: 1),
            Observe.Durations(buckets: SlowBuckets));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI2007").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Critical);
        diagnosis.Message.Should().Be(
            "CPU was saturated (pid 8123 (gunicorn: worker [app]) at 99.7 % of a core) while the P95 request duration was 8.333 s over 800 requests; "
            + "adding workers does not help a CPU-bound application");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("top.txt:8", "prometheus");
    }

    [Fact]
    public void A_busy_host_with_worker_timeouts_fires()
    {
        var session = BuiltInRules.Analyze(Observe.Cpu(97, line: 2), Observe.Cpu(95, line: 3), Observe.WorkerTimeouts(3, [7685, 7690]));

        session.Diagnoses.Where(d => d.Id == "GI2007").Should().ContainSingle().Which.Message.Should().Be(
            "CPU was saturated (host CPU at up to 97 % in 2 of 2 sample(s)) while Gunicorn logged 3 WORKER TIMEOUT line(s); "
            + "adding workers does not help a CPU-bound application");
    }

    [Fact]
    public void A_database_process_at_a_full_core_is_not_a_gunicorn_spike()
    {
        var session = BuiltInRules.Analyze(Observe.Cpu(100, pid: 912, process: "postgres: app app 10.0.0.5 SELECT", line: 4), Observe.Durations(buckets: SlowBuckets));

        session.Diagnoses.Where(d => d.Id == "GI2007" || IsInconclusive(d)).Should().BeEmpty();
    }

    [Fact]
    public void A_host_busy_waiting_for_disk_is_not_a_cpu_spike()
    {
        var session = BuiltInRules.Analyze(Observe.Cpu(96, ioWait: 70, line: 2), Observe.Durations(buckets: SlowBuckets));

        session.Diagnoses.Where(d => d.Id == "GI2007").Should().BeEmpty();
    }

    [Fact]
    public void A_saturated_cpu_with_fast_requests_does_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.Cpu(99.7, pid: 8123, process: "gunicorn: worker [app]", line: 8),
            Observe.Durations(buckets: [(0.1, 600), (0.5, 790), (1, 800), (double.PositiveInfinity, 800)]));

        session.Diagnoses.Where(d => d.Id == "GI2007" || IsInconclusive(d)).Should().BeEmpty();
    }

    private static bool IsInconclusive(Diagnosis d) => d.Id == "GI0003" && d.Message.StartsWith("GI2007 ", StringComparison.Ordinal);
}
