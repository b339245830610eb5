using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Tests.Capacity;

public sealed class TimeoutRateRisingAcrossRunsRuleInsufficientEvidenceTests
{
    [Fact]
    public void Timeouts_in_a_single_run_cannot_show_a_trend()
    {
        var session = BuiltInRules.Analyze([.. TimeoutRateRisingAcrossRunsRuleTests.Timeouts(4)]);

        var diagnosis = session.Diagnoses.Where(d => IsInconclusive(d)).Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            "GI2006 Request timeout rate increases with each load test could not conclude: all 4 WORKER TIMEOUT line(s) fall into one run, "
            + "from 23:46 to 23:50, with no quiet gap of 5 min or more; repeat the load test at least twice more with a quiet pause between runs, "
            + "and keep the error log (and the access log, for request volume) of every run");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:100", "error.log:101", "error.log:102", "error.log:103", "gunicorn defaults");
        session.Diagnoses.Should().NotContain(d => d.Id == "GI2006");
    }

    [Fact]
    public void Two_runs_with_a_small_rise_ask_for_a_third()
    {
        var session = BuiltInRules.Analyze(
        [
            TimeoutRateRisingAcrossRunsRuleTests.ThreeLoadTests() with
            {
                Timeline = new(Observe.Incident, TimeSpan.FromMinutes(1), [.. Enumerable.Repeat(150L, 10), .. Enumerable.Repeat(0L, 10), .. Enumerable.Repeat(150L, 10)]),
            },
            .. TimeoutRateRisingAcrossRunsRuleTests.Timeouts(4, 6),
        ]);

        session.Diagnoses.Where(d => IsInconclusive(d)).Should().ContainSingle().Which.Message.Should().Be(
            "GI2006 Request timeout rate increases with each load test could not conclude: two runs show a rise too small to call a trend: "
            + "4 in 1500 requests (2.67 per 1000) from 23:45 → 6 in 1500 requests (4 per 1000) from 00:05; a third run would show whether "
            + "the rate keeps rising (two runs need a rise of 3×)");
    }

    private static bool IsInconclusive(Diagnosis d) => d.Id == "GI0003" && d.Message.StartsWith("GI2006 ", StringComparison.Ordinal);
}
