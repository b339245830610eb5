using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Capacity;

public sealed class SyncWorkersBlockingOnIoRuleInsufficientEvidenceTests
{
    [Fact]
    public void Saturated_sync_workers_without_io_or_cpu_evidence_report_what_to_supply()
    {
        var session = BuiltInRules.Analyze([Observe.Gunicorn("workers", SettingValue.Integer(3), line: 4), .. Observe.Busy(3, 3, 3, 3, 2, 3, 3, 1, 3)]);

        var diagnosis = session.Diagnoses.Where(d => IsInconclusive(d)).Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            "GI2002 Synchronous WSGI workers block on I/O preventing concurrent request handling could not conclude: the 3 sync worker(s) "
            + "saturated (all 3 workers busy in 6 of 8 samples (75 %)) but neither an APM breakdown (database and external time per request) "
            + "nor request durations with host CPU samples show whether the requests wait on I/O; supply APM transaction traces with database "
            + "and external time, or request durations (access log with rt=%(L)s) together with top or vmstat samples from the saturated period");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("access.log:1", "access.log:2", "access.log:3", "gunicorn.conf.py:4");
    }

    [Fact]
    public void A_breakdown_of_too_few_requests_asks_for_more()
    {
        var session = BuiltInRules.Analyze(
        [
            Observe.Gunicorn("workers", SettingValue.Integer(3), line: 4),
            .. Observe.Busy(3, 3, 3, 3, 2, 3, 3, 1, 3),
            Observe.Timing("WebTransaction/Function/dashboard.views:index", 40, totalSeconds: 2.0, databaseSeconds: 1.5),
        ]);

        session.Diagnoses.Where(d => IsInconclusive(d)).Should().ContainSingle()
            .Which.Message.Should().EndWith(
                "but only 40 requests have a database/external time breakdown; at least 100 requests are needed to tell I/O-bound from CPU-bound work; supply a longer window");
        session.Diagnoses.Should().NotContain(d => d.Id == "GI2002");
    }

    private static bool IsInconclusive(Diagnosis d) => d.Id == "GI0003" && d.Message.StartsWith("GI2002 ", StringComparison.Ordinal);
}
