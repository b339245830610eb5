using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Tests.Dependencies;

public sealed class SlowExternalDependencySaturationRuleTests
{
    [Fact]
    public void A_saturated_pool_with_requests_waiting_on_external_calls_fires()
    {
        var session = BuiltInRules.Analyze([
            .. Observe.Busy(5, 5, 5, 4, 5, 5, 3),
            Observe.Timing("/quotes/", 1800, 6.2, cpuSeconds: 0.3, databaseSeconds: 0.2, externalSeconds: 5.6)]);

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI6002").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be(
            "The worker pool was saturated (all 5 workers busy in 4 of 6 samples (66.7 %)) while '/quotes/' spent 5.6 s of its 6.2 s average "
            + "request in external calls (90.3 %, over 1800 request(s))");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "access.log:1", "access.log:2", "access.log:4", "gunicorn defaults", "newrelic-transactions.csv:2");
    }

    [Fact]
    public void A_saturated_pool_whose_time_goes_to_the_database_does_not_blame_external_calls()
    {
        var session = BuiltInRules.Analyze([
            .. Observe.Busy(5, 5, 5, 4, 5, 5, 3),
            Observe.Timing("/quotes/", 1800, 6.2, cpuSeconds: 0.3, databaseSeconds: 5.6, externalSeconds: 0.2)]);

        session.Diagnoses.Where(d => d.Id == "GI6002").Should().BeEmpty();
    }

    [Fact]
    public void Slow_external_calls_without_saturation_do_not_fire()
    {
        var session = BuiltInRules.Analyze([
            .. Observe.Busy(5, 2, 3, 1, 2, 5, 3),
            Observe.Timing("/quotes/", 1800, 6.2, cpuSeconds: 0.3, databaseSeconds: 0.2, externalSeconds: 5.6)]);

        session.Diagnoses.Where(d => d.Id == "GI6002").Should().BeEmpty();
    }
}
