using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Logs;
using static Gunicorn.Insights.Rules.Tests.Dependencies.MemorySwappingRuleTests;

namespace Gunicorn.Insights.Rules.Tests.Dependencies;

public sealed class MemorySwappingUnconfirmedRuleTests
{
    [Fact]
    public void Sustained_swapping_without_a_proxy_log_asks_for_it()
    {
        var session = BuiltInRules.Analyze(Swapping(4));

        session.Diagnoses.Where(d => d.Id == "GI6007").Should().BeEmpty();
        var diagnosis = session.InsufficientEvidenceFor("GI6007").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            "GI6007 Memory swapping causes slow response times and Nginx 504 timeouts could not conclude: memory ran short (swap traffic of "
            + "at least 100 KiB/s in 4 of 5 sample(s), peak 2.3 MiB/s in and 1.1 MiB/s out), but the input has no proxy log to show whether "
            + "responses slowed or timed out; supply the nginx access log (with $request_time) and error log for the same period");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("vmstat.txt:4", "vmstat.txt:5", "vmstat.txt:6");
    }

    [Fact]
    public void Nginx_504s_with_swap_traffic_in_too_few_samples_ask_for_a_longer_vmstat()
    {
        var session = BuiltInRules.Analyze([.. Swapping(2), .. Nginx504s()]);

        session.InsufficientEvidenceFor("GI6007").Should().ContainSingle().Which.Message.Should().Be(
            "GI6007 Memory swapping causes slow response times and Nginx 504 timeouts could not conclude: 200 request(s) were answered 504; "
            + "the proxy logged 200 'upstream timed out' line(s), and swap traffic of at least 100 KiB/s in 2 of 3 sample(s), peak 2.3 MiB/s "
            + "in and 1.1 MiB/s out, fewer than the 3 that make swapping sustained; run vmstat 5 12 and free -m during the next incident: "
            + "swap-in and swap-out in consecutive samples confirm the host is swapping");
    }

    [Fact]
    public void A_sigkill_no_timeout_explains_without_memory_data_asks_for_free_m()
    {
        var session = BuiltInRules.Analyze(Observe.Worker(LogSignatureKind.WorkerSigkill, 7711, Observe.Incident, 40));

        var diagnosis = session.InsufficientEvidenceFor("GI6007").Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "GI6007 Memory swapping causes slow response times and Nginx 504 timeouts could not conclude: 1 worker(s) (pids 7711) were sent "
            + "SIGKILL with no WORKER TIMEOUT before them, as the kernel's OOM killer does, but the input has no memory data from that time; run free -m "
            + "on the host and dmesg -T | grep -i 'killed process'; an OOM-killer line naming a worker pid confirms it");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:40");
    }

    [Fact]
    public void Gunicorns_follow_up_sigkill_after_a_timeout_asks_for_nothing()
    {
        var session = BuiltInRules.Analyze(
            Observe.Worker(LogSignatureKind.WorkerTimeout, 7711, Observe.Incident, 39),
            Observe.Worker(LogSignatureKind.WorkerSigkill, 7711, Observe.Incident.AddSeconds(1), 40));

        session.InsufficientEvidenceFor("GI6007").Should().BeEmpty();
    }

    [Fact]
    public void A_free_m_sample_taken_hours_after_the_kill_does_not_count_and_the_note_asks_for_data_from_that_time()
    {
        var session = BuiltInRules.Analyze(
            Observe.Memory(3942, 180, swapTotalMebibytes: 2047, swapUsedMebibytes: 1980, at: Observe.Incident.AddHours(3)),
            Observe.Worker(LogSignatureKind.WorkerSigkill, 7711, Observe.Incident, 40));

        session.Diagnoses.Where(d => d.Id == "GI6007").Should().BeEmpty();
        session.InsufficientEvidenceFor("GI6007").Should().ContainSingle().Which.Message.Should().Contain("no memory data from that time");
    }
}
