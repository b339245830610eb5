using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Logs;

namespace Gunicorn.Insights.Rules.Tests.Proxy;

public sealed class UpstreamClosedByWorkerTimeoutRuleTests
{
    internal const string PrematureLine =
        "2026/11/23 23:45:23 [error] 31#31: *812 upstream prematurely closed connection while reading response header from upstream, "
        + "client: 203.0.113.9, server: example.com, request: \"GET /report HTTP/1.1\", upstream: \"http://unix:/run/gunicorn.sock:/report\"";

    internal static LogSignature PrematureCloses(long count, DateTimeOffset? at = null, string? instance = null) =>
        Observe.Lines(LogSignatureKind.UpstreamPrematurelyClosed, count, PrematureLine, "/var/log/nginx/error.log", 210,
            first: at ?? Observe.Incident.AddSeconds(1), instance: instance);

    internal static LogSignature BadGateways(long count, DateTimeOffset? at = null) =>
        Observe.Lines(LogSignatureKind.Http502, count,
            "203.0.113.9 - - [23/Nov/2026:23:45:23 +0000] \"GET /report HTTP/1.1\" 502 157 \"-\" \"Mozilla/5.0\"",
            "/var/log/nginx/access.log", 5031, first: at ?? Observe.Incident.AddSeconds(1));

    [Fact]
    public void Prematurely_closed_upstreams_and_502s_with_worker_timeouts_in_the_same_period_fire()
    {
        var session = BuiltInRules.Analyze(PrematureCloses(4), BadGateways(4), Observe.WorkerTimeouts(3, [7685, 7690]));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI4003").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be(
            "nginx logged 4 'upstream prematurely closed connection' line(s) and 4 502 response(s) while Gunicorn logged 3 "
            + "WORKER TIMEOUT line(s) for 2 worker(s) (worker timeout 30 s); those are requests whose worker was killed "
            + "mid-request (nginx answers them with 502), so Gunicorn never wrote a response or an access-log line for them");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "/var/log/nginx/error.log:210", "/var/log/nginx/access.log:5031", "error.log:17", "gunicorn defaults");
    }

    [Fact]
    public void Bad_gateways_counted_in_an_nginx_access_log_summary_are_not_counted_twice()
    {
        var session = BuiltInRules.Analyze(
            BadGateways(4),
            Observe.Traffic(900, new Dictionary<int, long> { [200] = 894, [502] = 6 }, logger: "nginx", file: "/var/log/nginx/access.log"),
            Observe.WorkerTimeouts(6, [7685]));

        session.Diagnoses.Where(d => d.Id == "GI4003").Should().ContainSingle()
            .Which.Message.Should().StartWith("nginx logged 0 'upstream prematurely closed connection' line(s) and 6 502 response(s) while");
    }

    [Fact]
    public void Bad_gateways_are_counted_once_though_the_per_path_summaries_of_the_same_log_repeat_them()
    {
        var session = BuiltInRules.Analyze(
            PrematureCloses(2),
            Observe.Traffic(900, new Dictionary<int, long> { [200] = 898, [502] = 2 }, logger: "nginx", file: "/var/log/nginx/access.log"),
            Observe.Traffic(40, new Dictionary<int, long> { [200] = 38, [502] = 2 }, path: "/report", logger: "nginx", file: "/var/log/nginx/access.log"),
            Observe.WorkerTimeouts(2, [7685]));

        session.Diagnoses.Where(d => d.Id == "GI4003").Should().ContainSingle()
            .Which.Message.Should().StartWith("nginx logged 2 'upstream prematurely closed connection' line(s) and 2 502 response(s) while");
    }

    [Fact]
    public void Worker_timeouts_days_away_from_the_nginx_errors_do_not_explain_them()
    {
        var session = BuiltInRules.Analyze(PrematureCloses(4), Observe.WorkerTimeouts(3, [7685], first: Observe.Incident.AddDays(-2)));

        session.Diagnoses.Where(d => d.Id == "GI4003").Should().BeEmpty();
    }

    [Fact]
    public void Worker_timeouts_of_another_instance_do_not_explain_them()
    {
        var session = BuiltInRules.Analyze(PrematureCloses(4, instance: "web-1"), Observe.WorkerTimeouts(3, [7685], instance: "web-2"));

        session.Diagnoses.Where(d => d.Id == "GI4003").Should().BeEmpty();
    }

    [Fact]
    public void A_502_in_gunicorns_own_access_log_is_the_applications_answer_and_does_not_count()
    {
        var session = BuiltInRules.Analyze(
            Observe.Traffic(100, new Dictionary<int, long> { [200] = 98, [502] = 2 }),
            Observe.WorkerTimeouts(1, [7685]));

        session.Diagnoses.Where(d => d.Id == "GI4003").Should().BeEmpty();
    }

    [Fact]
    public void Without_an_access_log_the_message_says_where_to_count_the_502s_instead_of_claiming_none()
    {
        var session = BuiltInRules.Analyze(PrematureCloses(6), Observe.WorkerTimeouts(6, [7685]));

        session.Diagnoses.Where(d => d.Id == "GI4003").Should().ContainSingle().Which.Message.Should().StartWith(
            "nginx logged 6 'upstream prematurely closed connection' line(s) (supply nginx's access log to count the 502 responses) while Gunicorn logged 6 ");
    }
}
