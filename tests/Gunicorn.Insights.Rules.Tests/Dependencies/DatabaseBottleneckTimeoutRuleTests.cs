using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Dependencies;

public sealed class DatabaseBottleneckTimeoutRuleTests
{
    [Fact]
    public void Timeouts_with_a_transaction_spending_most_of_its_time_in_queries_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(4, [7685, 7690]),
            Observe.Timing("WebTransaction/Function/reports.views:monthly", 240, 26.4, cpuSeconds: 1.1, databaseSeconds: 24.2, externalSeconds: 0.3),
            Observe.Timing("WebTransaction/Function/shop.views:index", 9000, 0.12, cpuSeconds: 0.05, databaseSeconds: 0.06, externalSeconds: 0, line: 3));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI6003").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be(
            "Gunicorn logged 4 WORKER TIMEOUT line(s) (timeout 30 s) and 'WebTransaction/Function/reports.views:monthly' spent 24.2 s of its "
            + "26.4 s average request in database queries (91.7 %, query count not measured, over 240 request(s))");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:17", "gunicorn defaults", "newrelic-transactions.csv:2");
    }

    [Fact]
    public void Many_queries_per_request_count_even_when_database_time_is_not_the_larger_share()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685]),
            Observe.Timing("/orders/", 150, 3.0, cpuSeconds: 1.9, databaseSeconds: 1.1, externalSeconds: 0) with { QueriesPerRequest = 412 });

        session.Diagnoses.Where(d => d.Id == "GI6003").Should().ContainSingle().Which.Message.Should().Be(
            "Gunicorn logged 2 WORKER TIMEOUT line(s) (timeout 30 s) and '/orders/' spent 1.1 s of its 3 s average request in database "
            + "queries (36.7 %, 412 queries per request, over 150 request(s))");
    }

    [Fact]
    public void Slow_transactions_that_wait_on_external_calls_do_not_blame_the_database()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(4, [7685]),
            Observe.Timing("/checkout/", 500, 12.0, cpuSeconds: 0.4, databaseSeconds: 0.9, externalSeconds: 10.5));

        session.Diagnoses.Where(d => d.Id == "GI6003").Should().BeEmpty();
    }

    [Fact]
    public void Database_heavy_timings_without_worker_timeouts_do_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.Timing("/reports/", 240, 26.4, cpuSeconds: 1.1, databaseSeconds: 24.2, externalSeconds: 0.3));

        session.Diagnoses.Where(d => d.Id == "GI6003").Concat(session.InsufficientEvidenceFor("GI6003")).Should().BeEmpty();
    }

    [Fact]
    public void Timings_of_another_instance_do_not_explain_this_instances_timeouts()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(4, [7685], instance: "web-1"),
            Observe.Timing("/reports/", 240, 26.4, cpuSeconds: 1.1, databaseSeconds: 24.2, externalSeconds: 0.3, instance: "web-2"));

        session.Diagnoses.Where(d => d.Id == "GI6003").Should().BeEmpty();
    }

    [Fact]
    public void With_gthread_workers_slow_queries_do_not_explain_timeouts_because_the_main_thread_keeps_heartbeating()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(4, [7685]),
            Observe.Gunicorn("threads", SettingValue.Integer(4), line: 3),
            Observe.Timing("/reports/", 240, 26.4, cpuSeconds: 1.1, databaseSeconds: 24.2, externalSeconds: 0.3));

        session.Diagnoses.Where(d => d.Id == "GI6003").Concat(session.InsufficientEvidenceFor("GI6003")).Should().BeEmpty();
    }
}
