using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Requests;

namespace Gunicorn.Insights.Rules.Tests.Capacity;

public sealed class TimeoutRateRisingAcrossRunsRuleTests
{
    /// <summary>Three ten-minute load tests of 1,500 requests each, ten quiet minutes apart.</summary>
    internal static TrafficSummary ThreeLoadTests()
    {
        var counts = new long[50];
        foreach (var start in new[] { 0, 20, 40 })
        {
            for (var minute = start; minute < start + 10; minute++)
            {
                counts[minute] = 150;
            }
        }

        return Observe.Traffic(4500, over: TimeSpan.FromMinutes(50)) with { Timeline = new CountTimeline(Observe.Incident, TimeSpan.FromMinutes(1), counts) };
    }

    /// <summary>WORKER TIMEOUT lines: <paramref name="perRun"/>[i] of them spread over run i (runs start 20 minutes apart).</summary>
    internal static IEnumerable<WorkerEvent> Timeouts(params int[] perRun)
    {
        var line = 100;
        for (var run = 0; run < perRun.Length; run++)
        {
            for (var i = 0; i < perRun[run]; i++)
            {
                yield return Observe.Worker(LogSignatureKind.WorkerTimeout, 7000 + line, Observe.Incident.AddMinutes((run * 20) + 1 + (i % 8)), line++);
            }
        }
    }

    [Fact]
    public void A_timeout_rate_that_rises_with_each_load_test_fires_with_the_per_run_numbers()
    {
        var session = BuiltInRules.Analyze([ThreeLoadTests(), .. Timeouts(3, 10, 21)]);

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI2006").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be(
            "The WORKER TIMEOUT rate rose from run to run over 3 runs (separated by at least 5 min without requests): "
            + "3 in 1500 requests (2 per 1000) from 23:45 → 10 in 1500 requests (6.67 per 1000) from 00:05 → 21 in 1500 requests (14 per 1000) from 00:25");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "error.log:100", "error.log:101", "error.log:102", "error.log:103", "error.log:104", "gunicorn defaults", "access.log:1");
    }

    [Fact]
    public void Without_request_volumes_the_runs_come_from_the_timeouts_and_the_message_says_so()
    {
        var counts = new long[45];
        counts[0] = 2;
        counts[20] = 5;
        counts[40] = 9;
        var session = BuiltInRules.Analyze(Observe.Lines(LogSignatureKind.WorkerTimeout, 16,
            "[2026-11-23 23:45:22 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)", line: 17, pids: [7685],
            first: Observe.Incident, last: Observe.Incident.AddMinutes(40), timeline: new CountTimeline(Observe.Incident, TimeSpan.FromMinutes(1), counts)));

        session.Diagnoses.Where(d => d.Id == "GI2006").Should().ContainSingle().Which.Message.Should().Be(
            "The WORKER TIMEOUT rate rose from run to run over 3 runs (separated by at least 5 min without timeouts): 2 from 23:45 → 5 from 00:05 "
            + "→ 9 from 00:25 (timeouts per run, not normalised by request volume: no access-log timeline was supplied)");
    }

    [Fact]
    public void A_rate_that_falls_in_a_later_run_does_not_fire()
    {
        var session = BuiltInRules.Analyze([ThreeLoadTests(), .. Timeouts(3, 21, 10)]);

        session.Diagnoses.Where(d => d.Id == "GI2006" || IsInconclusive(d)).Should().BeEmpty();
    }

    [Fact]
    public void Timeouts_without_times_are_not_read_as_runs()
    {
        var session = BuiltInRules.Analyze(Observe.Lines(LogSignatureKind.WorkerTimeout, 16, "[CRITICAL] WORKER TIMEOUT (pid:7685)"));

        session.Diagnoses.Where(d => d.Id == "GI2006" || IsInconclusive(d)).Should().BeEmpty();
    }

    private static bool IsInconclusive(Diagnosis d) => d.Id == "GI0003" && d.Message.StartsWith("GI2006 ", StringComparison.Ordinal);
}
