using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Platform;

public sealed class MasterDiskIoLatencyUnconfirmedRuleTests
{
    private const string Subject = "GI5002 Master process disk I/O blocking causes multi-second response latency";

    private static object[] StallWithDiskLog() =>
    [
        Observe.Cpu(30, ioWait: 50, line: 3),
        Observe.Gunicorn("errorlog", SettingValue.FromText("/var/log/gunicorn/error.log"), line: 5),
    ];

    [Fact]
    public void A_slow_p95_over_too_few_requests_reports_insufficient_evidence()
    {
        var session = BuiltInRules.Analyze([.. StallWithDiskLog(), Observe.Durations(buckets: [(1, 10), (2.5, 20), (5, 40), (double.PositiveInfinity, 40)])]);

        session.Diagnoses.Where(d => d.Id == "GI5002").Should().BeEmpty();
        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(Subject, StringComparison.Ordinal)).Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            $"{Subject} could not conclude: the host stalled on disk I/O (iowait up to 50 % in 1 of 1 host sample(s)) and Gunicorn "
            + "keeps its error log (/var/log/gunicorn/error.log) on disk, but the only latency evidence is a P95 request duration of "
            + "4.75 s over 40 requests (limit 2 s), fewer than the 100 requests the rule needs; supply request durations covering "
            + "more requests of the stall (the access log with rt=%(L)s, or the metrics) or Gunicorn's error log, whose WORKER "
            + "TIMEOUT lines would show workers stuck for the whole timeout");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("top.txt:3", "prometheus", "gunicorn.conf.py:5");
    }

    [Fact]
    public void Worker_timeouts_let_the_rule_itself_conclude()
    {
        var session = BuiltInRules.Analyze(
            [.. StallWithDiskLog(), Observe.Durations(buckets: [(1, 10), (2.5, 20), (5, 40), (double.PositiveInfinity, 40)]), Observe.WorkerTimeouts(1, [7685])]);

        session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(Subject, StringComparison.Ordinal)).Should().BeEmpty();
        session.Diagnoses.Where(d => d.Id == "GI5002").Should().ContainSingle();
    }

    [Fact]
    public void A_fast_p95_over_few_requests_is_no_evidence_of_latency()
    {
        var session = BuiltInRules.Analyze([.. StallWithDiskLog(), Observe.Durations(buckets: [(0.1, 35), (0.5, 40), (double.PositiveInfinity, 40)])]);

        session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(Subject, StringComparison.Ordinal)).Should().BeEmpty();
    }
}
