using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Capacity;

public sealed class SyncWorkersBlockingOnIoRuleTests
{
    private static object[] SaturatedPool(params object[] more) =>
    [
        Observe.Gunicorn("workers", SettingValue.Integer(3), line: 4),
        .. Observe.Busy(3, 3, 3, 3, 2, 3, 3, 1, 3),
        .. more,
    ];

    [Fact]
    public void Sync_workers_with_io_bound_requests_and_saturation_fire()
    {
        var session = BuiltInRules.Analyze(SaturatedPool(
            Observe.Timing("WebTransaction/Function/dashboard.views:index", 1200, totalSeconds: 2.0, cpuSeconds: 0.2, databaseSeconds: 1.2, externalSeconds: 0.5)));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI2002").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be(
            "Gunicorn runs 3 sync worker(s), each serving one request at a time, and the pool saturated (all 3 workers busy in 6 of 8 samples (75 %)) "
            + "while the requests were I/O-bound: database 1.2 s + external calls 500 ms of 2 s per request (85 %) over 1200 requests");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "access.log:1", "access.log:2", "access.log:3", "gunicorn.conf.py:4", "newrelic-transactions.csv:2");
    }

    [Fact]
    public void Without_an_apm_breakdown_slow_requests_on_an_idle_cpu_count_as_io_bound()
    {
        var session = BuiltInRules.Analyze(SaturatedPool(
            Observe.Durations(buckets: [(0.1, 100), (1, 300), (5, 480), (10, 500), (double.PositiveInfinity, 500)]),
            Observe.Cpu(22, line: 3),
            Observe.Cpu(18, line: 4)));

        session.Diagnoses.Where(d => d.Id == "GI2002").Should().ContainSingle().Which.Message.Should().EndWith(
            "while the requests were I/O-bound: P95 request duration 4.889 s over 500 requests while host CPU peaked at 22 %");
    }

    [Fact]
    public void Gevent_workers_with_the_same_evidence_do_not_fire()
    {
        var session = BuiltInRules.Analyze(SaturatedPool(
            Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 5),
            Observe.Timing("WebTransaction/Function/dashboard.views:index", 1200, totalSeconds: 2.0, cpuSeconds: 0.2, databaseSeconds: 1.2, externalSeconds: 0.5)));

        session.Diagnoses.Where(d => d.Id == "GI2002" || IsInconclusive(d)).Should().BeEmpty();
    }

    [Fact]
    public void Sync_with_threads_runs_gthread_and_does_not_fire()
    {
        var session = BuiltInRules.Analyze(SaturatedPool(
            Observe.Gunicorn("threads", SettingValue.Integer(4), line: 6),
            Observe.Timing("WebTransaction/Function/dashboard.views:index", 1200, totalSeconds: 2.0, cpuSeconds: 0.2, databaseSeconds: 1.2, externalSeconds: 0.5)));

        session.Diagnoses.Where(d => d.Id == "GI2002").Should().BeEmpty();
    }

    [Fact]
    public void Cpu_bound_requests_on_saturated_sync_workers_do_not_fire()
    {
        var session = BuiltInRules.Analyze(SaturatedPool(
            Observe.Timing("WebTransaction/Function/reports.views:render", 1200, totalSeconds: 2.0, cpuSeconds: 1.7, databaseSeconds: 0.2)));

        session.Diagnoses.Where(d => d.Id == "GI2002" || IsInconclusive(d)).Should().BeEmpty();
    }

    private static bool IsInconclusive(Diagnosis d) => d.Id == "GI0003" && d.Message.StartsWith("GI2002 ", StringComparison.Ordinal);
}
