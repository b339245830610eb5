using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Capacity;

public sealed class InsufficientWorkerCountRuleTests
{
    [Fact]
    public void Three_workers_on_four_cpus_with_a_saturated_pool_fire_with_the_computed_count()
    {
        var session = BuiltInRules.Analyze(
        [
            Observe.Gunicorn("workers", SettingValue.Integer(3), line: 4),
            Observe.Host(cpus: 4),
            .. Observe.Busy(3, 3, 3, 3, 2, 3, 3, 1, 3),
        ]);

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI2003").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be(
            "Gunicorn runs 3 worker(s) on 4 CPU(s), below (2 × 4) + 1 = 9, and the pool was saturated (all 3 workers busy in 6 of 8 samples (75 %))");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "gunicorn.conf.py:4", "host.txt:1", "access.log:1", "access.log:2", "access.log:3");
    }

    [Fact]
    public void A_large_p99_to_p50_ratio_counts_as_unpredictable_response_times()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("workers", SettingValue.CpuFormula("multiprocessing.cpu_count() + 1", 1, 1), line: 4),
            Observe.Host(cpus: 4),
            Observe.Durations(buckets: [(0.05, 200), (0.1, 500), (0.5, 900), (1, 950), (5, 995), (10, 1000), (double.PositiveInfinity, 1000)]));

        session.Diagnoses.Where(d => d.Id == "GI2003").Should().ContainSingle().Which.Message.Should().Be(
            "Gunicorn runs 5 worker(s) (multiprocessing.cpu_count() + 1) on 4 CPU(s), below (2 × 4) + 1 = 9, and response times are "
            + "unpredictable: P99 4.556 s is 45.6 × the P50 of 100 ms over 1000 requests");
    }

    [Fact]
    public void The_recommended_worker_count_does_not_fire_even_when_saturated()
    {
        var session = BuiltInRules.Analyze(
        [
            Observe.Gunicorn("workers", SettingValue.Integer(9), line: 4),
            Observe.Host(cpus: 4),
            .. Observe.Busy(9, 9, 9, 9, 2, 9, 9, 1, 9),
        ]);

        session.Diagnoses.Where(d => d.Id == "GI2003" || IsInconclusive(d)).Should().BeEmpty();
    }

    [Fact]
    public void Saturated_cpus_leave_the_worker_count_alone()
    {
        var session = BuiltInRules.Analyze(
        [
            Observe.Gunicorn("workers", SettingValue.Integer(3), line: 4),
            Observe.Host(cpus: 4),
            Observe.Cpu(99, line: 2),
            .. Observe.Busy(3, 3, 3, 3, 2, 3, 3, 1, 3),
        ]);

        session.Diagnoses.Where(d => d.Id == "GI2003").Should().BeEmpty();
    }

    [Fact]
    public void A_single_worker_is_left_to_gi2005()
    {
        var session = BuiltInRules.Analyze([Observe.Host(cpus: 4), .. Observe.Busy(1, 1, 1, 1, 0, 1, 1, 1, 1)]);

        session.Diagnoses.Where(d => d.Id == "GI2003").Should().BeEmpty();
    }

    private static bool IsInconclusive(Diagnosis d) => d.Id == "GI0003" && d.Message.StartsWith("GI2003 ", StringComparison.Ordinal);
}
