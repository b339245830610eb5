namespace Gunicorn.Insights.Rules.Tests.Dependencies;

public sealed class SlowApplicationLogicEvidenceTooThinRuleTests
{
    [Fact]
    public void A_cpu_heavy_transaction_seen_in_too_few_requests_is_insufficient_evidence()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685]),
            Observe.Timing("/reports/pdf/", 2, 26.0, cpuSeconds: 24.0, databaseSeconds: 1.2, externalSeconds: 0.3));

        session.Diagnoses.Where(d => d.Id == "GI6005").Should().BeEmpty();
        var diagnosis = session.InsufficientEvidenceFor("GI6005").Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "GI6005 Slow application logic causes worker timeouts could not conclude: Gunicorn logged 3 WORKER TIMEOUT line(s) (timeout 30 s) "
            + "and '/reports/pdf/' spent 24 s of its 26 s average request in application code (92.3 %), but over only 2 request(s), fewer "
            + "than 20; supply timings covering at least 20 requests of the slow transactions (APM transaction traces for a longer period), or "
            + "py-spy dump --pid PID --subprocesses of a busy worker before it times out");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:17", "gunicorn defaults", "newrelic-transactions.csv:2");
    }

    [Fact]
    public void A_stack_in_application_code_settles_it_so_a_thin_timing_adds_no_note()
    {
        var session = BuiltInRules.Analyze(
            Observe.WorkerTimeouts(3, [7685]),
            Observe.Timing("/reports/pdf/", 2, 26.0, cpuSeconds: 24.0, databaseSeconds: 1.2, externalSeconds: 0.3),
            Observe.Stack(7685, "gunicorn: worker [shop]", null, "render_invoice_pdf (billing/pdf.py:212)"));

        session.InsufficientEvidenceFor("GI6005").Should().BeEmpty();
        session.Diagnoses.Where(d => d.Id == "GI6005").Should().ContainSingle();
    }
}
