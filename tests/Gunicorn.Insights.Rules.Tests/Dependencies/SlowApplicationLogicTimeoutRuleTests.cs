using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Dependencies;

public sealed class SlowApplicationLogicTimeoutRuleTests
{
    [Fact]
    public void Timeouts_with_a_transaction_spending_its_time_on_the_cpu_fire_and_cite_the_500s()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685, 7690]),
            Observe.Timing("/reports/pdf/", 120, 26.0, cpuSeconds: 24.0, databaseSeconds: 1.2, externalSeconds: 0.3),
            Observe.Lines(LogSignatureKind.ErrorHandlingRequest, 14, "[2026-11-23 23:41:07 +0000] [7690] [ERROR] Error handling request /reports/pdf/?month=10",
                line: 40),
            Observe.Traffic(5200, new Dictionary<int, long> { [200] = 5186, [500] = 14 }));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI6005").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be(
            "Gunicorn logged 3 WORKER TIMEOUT line(s) (timeout 30 s) and '/reports/pdf/' spent 24 s of its 26 s average request in application "
            + "code (CPU time, 92.3 %, over 120 request(s)); the same instance also answered 14 request(s) with 500 and logged 14 "
            + "'Error handling request' traceback(s)");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "error.log:17", "gunicorn defaults", "newrelic-transactions.csv:2", "error.log:40", "access.log:1");
    }

    [Fact]
    public void Without_cpu_time_the_time_outside_database_and_external_calls_counts_as_application_code()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685]),
            Observe.Timing("/search/", 60, 20.0, databaseSeconds: 2.0, externalSeconds: 1.0));

        session.Diagnoses.Where(d => d.Id == "GI6005").Should().ContainSingle().Which.Message.Should().Be(
            "Gunicorn logged 3 WORKER TIMEOUT line(s) (timeout 30 s) and '/search/' spent 17 s of its 20 s average request in application "
            + "code (time outside database and external calls, 85 %, over 60 request(s))");
    }

    [Fact]
    public void A_stack_of_a_timed_out_worker_in_application_code_fires()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685]),
            Observe.Stack(7685, "gunicorn: worker [shop]", null,
                "render_invoice_pdf (billing/pdf.py:212)", "invoice (billing/views.py:88)", "_get_response (django/core/handlers/base.py:197)"));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI6005").Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "Gunicorn logged 2 WORKER TIMEOUT line(s) (timeout 30 s) and the stack of timed-out worker 7685 was in application code at "
            + "render_invoice_pdf (billing/pdf.py:212), not in a database, network or Redis call");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:17", "gunicorn defaults", "py-spy-dump.txt:1");
    }

    [Fact]
    public void A_stack_of_a_timed_out_worker_waiting_on_a_socket_does_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685]),
            Observe.Stack(7685, "gunicorn: worker [shop]", null,
                "recv_into (ssl.py:1274)", "readinto (socket.py:705)", "_read_status (http/client.py:281)", "charge (billing/payments.py:41)"));

        session.Diagnoses.Where(d => d.Id == "GI6005").Should().BeEmpty();
    }

    [Fact]
    public void A_stack_in_application_code_of_a_worker_that_did_not_time_out_does_not_fire()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(2, [7685]),
            Observe.Stack(7702, "gunicorn: worker [shop]", null, "render_invoice_pdf (billing/pdf.py:212)"));

        session.Diagnoses.Where(d => d.Id == "GI6005").Should().BeEmpty();
    }

    [Fact]
    public void Timeouts_with_database_bound_transactions_do_not_blame_application_code()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685]),
            Observe.Timing("/reports/", 240, 26.4, cpuSeconds: 1.1, databaseSeconds: 24.2, externalSeconds: 0.3));

        session.Diagnoses.Where(d => d.Id == "GI6005").Should().BeEmpty();
    }

    [Fact]
    public void With_gthread_workers_a_cpu_heavy_transaction_alone_does_not_fire_but_a_stack_in_application_code_does()
    {
        var timing = Observe.Timing("/reports/pdf/", 120, 26.0, cpuSeconds: 24.0, databaseSeconds: 1.2, externalSeconds: 0.3);
        var threads = Observe.Gunicorn("threads", SettingValue.Integer(4), line: 3);

        BuiltInRules.Analyze(Observe.WorkerTimeouts(3, [7685]), threads, timing)
            .Diagnoses.Where(d => d.Id == "GI6005").Should().BeEmpty();
        BuiltInRules.Analyze(Observe.WorkerTimeouts(3, [7685]), threads, timing,
                Observe.Stack(7685, "gunicorn: worker [shop]", null, "render_invoice_pdf (billing/pdf.py:212)"))
            .Diagnoses.Where(d => d.Id == "GI6005").Should().ContainSingle().Which.Message.Should().Contain("the stack of timed-out worker 7685");
    }
}
