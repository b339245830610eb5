using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Logs;

namespace Gunicorn.Insights.Rules.Tests.Dependencies;

public sealed class MemorySwappingRuleTests
{
    internal static object[] Swapping(int busySamples) =>
    [
        Observe.Swap(0, 0, line: 3),
        .. Enumerable.Range(0, busySamples).Select(i => (object)Observe.Swap(2400 - (i * 100), 1100, line: 4 + i)),
    ];

    internal static object[] Nginx504s() =>
    [
        Observe.Traffic(12000, new Dictionary<int, long> { [200] = 11800, [504] = 200 }, logger: "nginx", file: "/var/log/nginx/access.log"),
        Observe.Lines(LogSignatureKind.UpstreamTimedOut, 200,
            "2026/11/23 23:46:22 [error] 31#31: *4471 upstream timed out (110: Connection timed out) while reading response header from upstream, "
            + "client: 10.0.0.7, server: shop.example.com, request: \"GET /cart/ HTTP/1.1\", upstream: \"http://unix:/run/gunicorn.sock:/cart/\"",
            "/var/log/nginx/error.log", 512),
    ];

    [Fact]
    public void Sustained_swapping_with_nginx_504s_is_critical()
    {
        var session = BuiltInRules.Analyze([.. Swapping(5), .. Nginx504s()]);

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI6007").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Critical);
        diagnosis.Message.Should().Be(
            "The host ran short of memory (swap traffic of at least 100 KiB/s in 5 of 6 sample(s), peak 2.3 MiB/s in and 1.1 MiB/s out) "
            + "while 200 request(s) were answered 504; the proxy logged 200 'upstream timed out' line(s)");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "vmstat.txt:4", "vmstat.txt:5", "vmstat.txt:6", "/var/log/nginx/error.log:512", "/var/log/nginx/access.log:1");
    }

    [Fact]
    public void Little_available_memory_with_a_sigkill_that_no_timeout_explains_is_critical()
    {
        BuiltInRules.Fixture
            .Given(Observe.Memory(3942, 180, swapTotalMebibytes: 2047, swapUsedMebibytes: 1980))
            .Given(Observe.Worker(LogSignatureKind.WorkerSigkill, 7711, Observe.Incident, 40))
            .Expect("GI6007").FiresOnce()
            .WithMessage(
                "The host ran short of memory (180 MiB of 3.8 GiB available, 1.9 GiB of 2 GiB swap used) while 1 worker(s) (pids 7711) were "
                + "sent SIGKILL with no WORKER TIMEOUT before them, as the kernel's OOM killer does")
            .WithEvidenceExactlyAt("free-m.txt:2", "error.log:40");
    }

    [Fact]
    public void A_sigkill_a_second_after_a_worker_timeout_of_the_same_pid_is_not_memory_trouble()
    {
        BuiltInRules.Fixture.Given(
                Observe.Memory(3942, 300),
                Observe.Worker(LogSignatureKind.WorkerTimeout, 7711, Observe.Incident, 39),
                Observe.Worker(LogSignatureKind.WorkerSigkill, 7711, Observe.Incident.AddSeconds(1), 40))
            .Expect("GI6007").IsSilent();
    }

    [Fact]
    public void Swapping_in_only_a_few_samples_does_not_fire()
    {
        var session = BuiltInRules.Analyze([.. Swapping(2), .. Nginx504s()]);

        session.Diagnoses.Where(d => d.Id == "GI6007").Should().BeEmpty();
    }

    [Fact]
    public void Swapping_while_the_nginx_log_shows_no_504_does_not_fire()
    {
        var session = BuiltInRules.Analyze([
            .. Swapping(5),
            Observe.Traffic(12000, new Dictionary<int, long> { [200] = 12000 }, logger: "nginx", file: "/var/log/nginx/access.log")]);

        session.Diagnoses.Where(d => d.Id == "GI6007").Concat(session.InsufficientEvidenceFor("GI6007")).Should().BeEmpty();
    }

    [Fact]
    public void Plenty_of_available_memory_does_not_make_504s_a_memory_problem()
    {
        var session = BuiltInRules.Analyze([Observe.Memory(3942, 2900, swapTotalMebibytes: 2047, swapUsedMebibytes: 40), .. Nginx504s()]);

        session.Diagnoses.Where(d => d.Id == "GI6007").Concat(session.InsufficientEvidenceFor("GI6007")).Should().BeEmpty();
    }

    [Fact]
    public void Kernel_oom_killer_lines_alone_show_memory_was_exhausted_when_a_worker_was_killed_from_outside()
    {
        var session = BuiltInRules.Analyze(
            Observe.Lines(LogSignatureKind.OutOfMemoryKill, 1,
                "Nov 23 23:45:21 web-1 kernel: Out of memory: Killed process 7711 (gunicorn) total-vm:2315040kB, anon-rss:1843200kB",
                "kern.log", 8812, first: Observe.Incident.AddSeconds(-1)),
            Observe.Worker(LogSignatureKind.WorkerSigkill, 7711, Observe.Incident, 40));

        session.Diagnoses.Where(d => d.Id == "GI6007").Should().ContainSingle().Which.Message.Should().Be(
            "The host ran short of memory (the kernel logged 1 OOM-killer line(s)) while 1 worker(s) (pids 7711) were sent SIGKILL with no "
            + "WORKER TIMEOUT before them, as the kernel's OOM killer does");
    }
}
