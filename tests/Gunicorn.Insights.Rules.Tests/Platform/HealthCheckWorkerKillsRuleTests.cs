using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Platform;

public sealed class HealthCheckWorkerKillsRuleTests
{
    internal static TrafficSummary Checks(long requests, string path = "/health", TimeSpan? over = null, long failed = 0, string logger = "nginx") =>
        Observe.Traffic(requests, new Dictionary<int, long> { [200] = requests - failed, [503] = failed }, path, logger,
            over ?? TimeSpan.FromMinutes(10), logger == "nginx" ? "/var/log/nginx/access.log" : "access.log");

    [Fact]
    public void Frequent_health_checks_at_sync_workers_that_time_out_fire()
    {
        BuiltInRules.Fixture
            .Given(Checks(1200, failed: 20), Observe.WorkerTimeouts(4, [7685, 7690]), Observe.Gunicorn("workers", SettingValue.Integer(3), line: 2))
            .Expect("GI5003").FiresOnce()
            .WithSeverity(Severity.Warning)
            .WithMessage(
                "Health checks to /health arrived 1200 time(s) over 10 min (2 per second, 20 answered with 5xx) at 3 sync worker(s) "
                + "while Gunicorn logged 4 WORKER TIMEOUT line(s) (worker timeout 30 s); each check takes a whole sync worker while it "
                + "runs, so the checks compete with real requests for the few workers, and a check that waits behind slow requests "
                + "fails and can get an instance that was only busy restarted")
            .WithEvidenceExactlyAt("/var/log/nginx/access.log:1", "error.log:17", "gunicorn defaults", "gunicorn defaults");
    }

    [Fact]
    public void App_service_warmup_pings_and_kills_from_outside_gunicorn_count()
    {
        var session = BuiltInRules.Analyze(
            Checks(300, "/robots933456.txt", TimeSpan.FromMinutes(2), logger: "gunicorn"),
            Observe.Worker(LogSignatureKind.WorkerSigkill, 7701, Observe.Incident, 40));

        session.Diagnoses.Where(d => d.Id == "GI5003").Should().ContainSingle().Which.Message.Should().StartWith(
            "Health checks to /robots933456.txt arrived 300 time(s) over 2 min (2.5 per second, 0 answered with 5xx) at 1 sync "
            + "worker(s) while Gunicorn saw 1 worker(s) SIGKILLed with no WORKER TIMEOUT before them, from outside Gunicorn;");
    }

    [Fact]
    public void The_same_checks_in_two_logs_count_once()
    {
        var session = BuiltInRules.Analyze(Checks(1200), Checks(1180, logger: "gunicorn"), Observe.WorkerTimeouts(1, [7685]));

        session.Diagnoses.Where(d => d.Id == "GI5003").Should().ContainSingle()
            .Which.Message.Should().StartWith("Health checks to /health arrived 1200 time(s) over 10 min (2 per second,");
    }

    [Fact]
    public void Asynchronous_workers_do_not_give_a_probe_a_whole_worker()
    {
        var session = BuiltInRules.Analyze(
            Checks(1200),
            Observe.WorkerTimeouts(4, [7685]),
            Observe.Gunicorn("worker_class", SettingValue.FromText("gevent"), line: 3));

        session.Diagnoses.Where(d => d.Id == "GI5003").Should().BeEmpty();
    }

    [Fact]
    public void Infrequent_health_checks_are_silent()
    {
        var session = BuiltInRules.Analyze(Checks(60), Observe.WorkerTimeouts(4, [7685]));

        session.Diagnoses.Where(d => d.Id == "GI5003").Should().BeEmpty();
        session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith("GI5003", StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Fact]
    public void Frequent_checks_without_worker_deaths_are_silent()
    {
        var session = BuiltInRules.Analyze(Checks(1200));

        session.Diagnoses.Where(d => d.Id == "GI5003").Should().BeEmpty();
    }

    [Fact]
    public void Other_paths_are_not_health_checks()
    {
        var session = BuiltInRules.Analyze(Checks(1200, "/api/orders"), Observe.WorkerTimeouts(4, [7685]));

        session.Diagnoses.Where(d => d.Id == "GI5003").Should().BeEmpty();
    }
}
