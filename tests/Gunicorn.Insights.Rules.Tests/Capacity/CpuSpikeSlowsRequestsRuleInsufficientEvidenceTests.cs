using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Tests.Capacity;

public sealed class CpuSpikeSlowsRequestsRuleInsufficientEvidenceTests
{
    [Fact]
    public void A_saturated_cpu_without_request_durations_asks_for_them()
    {
        var session = BuiltInRules.Analyze(Observe.Cpu(99.7, pid: 8123, process: "gunicorn: worker [app]", line: 8));

        var diagnosis = session.Diagnoses.Where(d => IsInconclusive(d)).Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            "GI2007 Gunicorn CPU spike to 100% causes severe page load delays could not conclude: the CPU was saturated "
            + "(pid 8123 (gunicorn: worker [app]) at 99.7 % of a core) but there are no request durations or worker timeouts to show whether "
            + "requests slowed down; supply request durations from the same period (the access log with rt=%(L)s in access_log_format, "
            + "or a request-duration histogram) and the error log");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("top.txt:8");
    }

    [Fact]
    public void Too_few_requests_for_a_stable_p95_ask_for_more()
    {
        var session = BuiltInRules.Analyze(
            Observe.Cpu(99.7, pid: 8123, process: "gunicorn: worker [app]", line: 8),
            Observe.Durations(buckets: [(1, 10), (10, 30), (double.PositiveInfinity, 30)]));

        session.Diagnoses.Where(d => IsInconclusive(d)).Should().ContainSingle().Which.Message.Should().EndWith(
            "but the request-duration histogram holds only 30 requests; at least 100 requests from the same period are needed for a stable P95");
        session.Diagnoses.Should().NotContain(d => d.Id == "GI2007");
    }

    private static bool IsInconclusive(Diagnosis d) => d.Id == "GI0003" && d.Message.StartsWith("GI2007 ", StringComparison.Ordinal);
}
