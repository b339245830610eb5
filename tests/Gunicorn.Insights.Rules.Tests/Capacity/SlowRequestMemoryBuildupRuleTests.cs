using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Capacity;

public sealed class SlowRequestMemoryBuildupRuleTests
{
    internal static readonly (double, double)[] SlowBuckets = [(0.5, 200), (1, 400), (2.5, 600), (5, 700), (10, 790), (double.PositiveInfinity, 800)];

    [Fact]
    public void Falling_memory_on_gevent_workers_with_slow_requests_fires()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("workers", SettingValue.Integer(4), line: 3),
            Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 4),
            Observe.Memory(8192, 6144),
            Observe.Memory(8192, 3072, at: Observe.Incident.AddMinutes(20)),
            Observe.Durations(buckets: SlowBuckets));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI2008").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be(
            "Available memory fell from 6 GiB to 3 GiB (of 8 GiB) over 20 min while requests were slow (P95 8.333 s over 800 requests) "
            + "and each of the 4 worker(s) can hold up to 1000 requests in flight (gevent, worker_connections = 1000)");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("free-m.txt:2", "free-m.txt:2", "prometheus", "gunicorn.conf.py:4");
    }

    [Fact]
    public void Sync_workers_hold_one_request_each_and_do_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("workers", SettingValue.Integer(4), line: 3),
            Observe.Memory(8192, 6144),
            Observe.Memory(8192, 3072, at: Observe.Incident.AddMinutes(20)),
            Observe.Durations(buckets: SlowBuckets));

        session.Diagnoses.Where(d => d.Id == "GI2008" || IsInconclusive(d)).Should().BeEmpty();
    }

    [Fact]
    public void Steady_memory_does_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 4),
            Observe.Memory(8192, 6144),
            Observe.Memory(8192, 6000, at: Observe.Incident.AddMinutes(20)),
            Observe.Durations(buckets: SlowBuckets));

        session.Diagnoses.Where(d => d.Id == "GI2008" || IsInconclusive(d)).Should().BeEmpty();
    }

    [Fact]
    public void Fast_requests_do_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 4),
            Observe.Memory(8192, 6144),
            Observe.Memory(8192, 3072, at: Observe.Incident.AddMinutes(20)),
            Observe.Durations(buckets: [(0.1, 600), (0.5, 790), (1, 800), (double.PositiveInfinity, 800)]));

        session.Diagnoses.Where(d => d.Id == "GI2008").Should().BeEmpty();
    }

    private static bool IsInconclusive(Diagnosis d) => d.Id == "GI0003" && d.Message.StartsWith("GI2008 ", StringComparison.Ordinal);
}
