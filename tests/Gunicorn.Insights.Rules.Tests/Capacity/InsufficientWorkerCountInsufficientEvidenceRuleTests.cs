using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Capacity;

public sealed class InsufficientWorkerCountInsufficientEvidenceRuleTests
{
    [Fact]
    public void A_saturated_pool_on_a_host_of_unknown_size_says_the_cpu_count_is_missing()
    {
        var session = BuiltInRules.Analyze([Observe.Gunicorn("workers", SettingValue.Integer(3), line: 4), .. Observe.Busy(3, 3, 3, 3, 2, 3, 3, 1, 3)]);

        var diagnosis = session.Diagnoses.Where(d => IsInconclusive(d)).Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            "GI2003 Insufficient Gunicorn workers cause unpredictable response times could not conclude: the pool was saturated "
            + "(all 3 workers busy in 6 of 8 samples (75 %)) with workers = 3, but the host's CPU count is unknown, so (2 × CPU cores) + 1 "
            + "cannot be computed; supply the CPU count Gunicorn may use (nproc, or the container's CPU limit) and analyse again");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("gunicorn.conf.py:4", "access.log:1", "access.log:2", "access.log:3");
        session.Diagnoses.Should().NotContain(d => d.Id == "GI2003");
    }

    [Fact]
    public void Too_few_requests_to_judge_response_times_ask_for_more()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("workers", SettingValue.Integer(3), line: 4),
            Observe.Host(cpus: 4),
            Observe.Durations(buckets: [(0.1, 30), (5, 40), (double.PositiveInfinity, 40)]));

        session.Diagnoses.Where(d => IsInconclusive(d)).Should().ContainSingle().Which.Message.Should().Be(
            "GI2003 Insufficient Gunicorn workers cause unpredictable response times could not conclude: 3 worker(s) on 4 CPU(s) is below "
            + "(2 × 4) + 1 = 9, but the request-duration histogram holds only 40 requests; at least 100 requests (or busy-worker samples) "
            + "are needed to tell whether response times suffer");
    }

    [Fact]
    public void Enough_requests_with_steady_response_times_say_nothing()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("workers", SettingValue.Integer(3), line: 4),
            Observe.Host(cpus: 4),
            Observe.Durations(buckets: [(0.1, 600), (0.25, 990), (0.5, 1000), (double.PositiveInfinity, 1000)]));

        session.Diagnoses.Where(d => IsInconclusive(d) || d.Id == "GI2003").Should().BeEmpty();
    }

    private static bool IsInconclusive(Diagnosis d) => d.Id == "GI0003" && d.Message.StartsWith("GI2003 ", StringComparison.Ordinal);
}
