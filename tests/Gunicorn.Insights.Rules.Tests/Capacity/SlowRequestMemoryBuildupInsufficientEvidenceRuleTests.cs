using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Capacity;

public sealed class SlowRequestMemoryBuildupInsufficientEvidenceRuleTests
{
    [Fact]
    public void A_single_memory_sample_never_fires_and_asks_for_a_series()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 4),
            Observe.Memory(8192, 512),
            Observe.Durations(buckets: SlowRequestMemoryBuildupRuleTests.SlowBuckets));

        var diagnosis = session.Diagnoses.Where(d => IsInconclusive(d)).Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            "GI2008 Slow backend responses cause concurrent request memory buildup could not conclude: requests were slow (P95 8.333 s over "
            + "800 requests) on workers that hold up to 1000 requests in flight each (gevent, worker_connections = 1000), but there is only one "
            + "point in time of memory (512 MiB available of 8 GiB); sample memory repeatedly while requests are slow (free -m -s 10, or a "
            + "memory metric over time) to see whether it grows with the requests in flight");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("free-m.txt:2", "prometheus", "gunicorn.conf.py:4");
        session.Diagnoses.Should().NotContain(d => d.Id == "GI2008");
    }

    [Fact]
    public void A_single_memory_sample_with_fast_requests_says_nothing()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 4),
            Observe.Memory(8192, 512),
            Observe.Durations(buckets: [(0.1, 600), (0.5, 790), (1, 800), (double.PositiveInfinity, 800)]));

        session.Diagnoses.Where(d => IsInconclusive(d)).Should().BeEmpty();
    }

    private static bool IsInconclusive(Diagnosis d) => d.Id == "GI0003" && d.Message.StartsWith("GI2008 ", StringComparison.Ordinal);
}
