using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Tests.Latency;

public sealed class UnaccountedRequestTimeRuleTests
{
    private static IEnumerable<Diagnosis> Gi3008(params object[] facts) =>
        BuiltInRules.Analyze(facts).Diagnoses.Where(d => d.Id == "GI3008");

    [Fact]
    public void Most_of_the_request_time_outside_cpu_database_and_external_calls_is_reported_as_info()
    {
        var diagnosis = Gi3008(
            Observe.Timing("WebTransaction/Function/reports.views:export", 1200, totalSeconds: 2.0, cpuSeconds: 0.25, databaseSeconds: 0.15, externalSeconds: 0.0, line: 4),
            Observe.Timing("WebTransaction/Function/api.views:items", 9000, totalSeconds: 0.12, cpuSeconds: 0.08, databaseSeconds: 0.03, line: 5))
            .Should().ContainSingle().Subject;

        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be("Transaction WebTransaction/Function/reports.views:export spends 1.6 s of its 2 s average request time (80 %) "
            + "outside what was measured (CPU 250 ms, database 150 ms, external calls 0 s) over 1200 requests");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("newrelic-transactions.csv:4");
    }

    [Fact]
    public void Components_that_were_not_measured_are_named_and_other_transactions_are_listed()
    {
        var diagnosis = Gi3008(
            Observe.Timing("*", 5000, totalSeconds: 1.0, cpuSeconds: 0.2, line: 2),
            Observe.Timing("search", 800, totalSeconds: 0.6, cpuSeconds: 0.1, databaseSeconds: 0.1, line: 3))
            .Should().ContainSingle().Subject;

        diagnosis.Message.Should().Be("The application spends 800 ms of its 1 s average request time (80 %) "
            + "outside what was measured (CPU 200 ms, database not measured, external calls not measured) over 5000 requests; "
            + "also transaction search (400 ms of 600 ms)");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("newrelic-transactions.csv:2", "newrelic-transactions.csv:3");
    }

    [Fact]
    public void Time_mostly_in_measured_components_stays_silent()
    {
        Gi3008(Observe.Timing("reports", 1200, totalSeconds: 2.0, cpuSeconds: 0.9, databaseSeconds: 0.8, externalSeconds: 0.1)).Should().BeEmpty();
    }

    [Fact]
    public void A_total_without_any_measured_component_is_not_a_gap()
    {
        Gi3008(Observe.Timing("reports", 1200, totalSeconds: 2.0)).Should().BeEmpty();
    }

    [Fact]
    public void A_large_share_of_a_tiny_time_stays_silent()
    {
        // 60 ms of 80 ms: 75 %, but under the 100 ms minimum gap.
        Gi3008(Observe.Timing("health", 50000, totalSeconds: 0.08, cpuSeconds: 0.02)).Should().BeEmpty();
    }
}
