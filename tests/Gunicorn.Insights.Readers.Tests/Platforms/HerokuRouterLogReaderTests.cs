using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Platforms;
using Gunicorn.Insights.Readers.Tests.Nginx;

namespace Gunicorn.Insights.Readers.Tests.Platforms;

public sealed class HerokuRouterLogReaderTests
{
    private static string Sample(string name) => MutatedInputs.Sample("heroku", name);

    private static ReadContext Read(string name)
    {
        var context = new ReadContext(name);
        new HerokuRouterLogReader().Read(LineSource.FromFile(Sample(name)), context);
        return context;
    }

    private static string Describe(TrafficSummary t) =>
        $"{t.Path ?? "*"} {t.Requests} [{string.Join(",", t.StatusCounts.Select(s => $"{s.Key}:{s.Value}"))}] at {t.Source.Line}";

    [Fact]
    public void H12_lines_become_request_timeouts_with_the_path_in_the_example()
    {
        var context = Read("router.log");

        context.Problems.Should().BeEmpty();
        var timeouts = context.Observations.OfType<LogSignature>().Should().ContainSingle().Subject;
        timeouts.Kind.Should().Be(LogSignatureKind.HerokuRequestTimeout);
        timeouts.Count.Should().Be(2);
        timeouts.Examples.Select(e => e.Location.ToString()).Should().Equal("router.log:3", "router.log:5");
        timeouts.Examples[0].Text.Should().Contain("code=H12 desc=\"Request timeout\" method=GET path=\"/report?token=***\"").And.NotContain("abc123");
        timeouts.FirstSeen.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 45, 22, TimeSpan.Zero).AddTicks(1_234_560));
        timeouts.LastSeen.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 46, 1, 500, TimeSpan.Zero));
    }

    [Fact]
    public void Router_lines_give_traffic_service_times_error_codes_and_the_platform()
    {
        var context = Read("router.log");

        context.Observations.OfType<TrafficSummary>().Should().OnlyContain(t => t.Logger == "heroku-router");
        context.Observations.OfType<TrafficSummary>().Select(Describe).Should().Equal(
            "* 7 [200:3,503:4] at 1",
            "/report 3 [200:1,503:2] at 3",
            "/ 1 [200:1] at 1",
            "/static/app.css 1 [200:1] at 2",
            "/checkout 1 [503:1] at 4",
            "/favicon.ico 1 [503:1] at 7");

        var service = context.Observations.OfType<RequestDurationHistogram>().Single();
        service.MetricName.Should().Be("heroku_router_service_seconds");
        service.Count.Should().Be(6, "the H10 line has an empty service=");
        service.Sum.Should().Be(TimeSpan.FromMilliseconds(74_939));
        service.Source.ToString().Should().Be("router.log:1");
        service.Percentile(0.99)!.Value.TotalSeconds.Should().BeApproximately(30.001, 30.001 * 0.02);

        context.Observations.OfType<Counter>().Select(c => $"{c.Labels["code"]} {c.Labels["desc"]} {c.Value} at {c.Source.Line}").Should().Equal(
            "H10 App crashed 1 at 7", "H12 Request timeout 2 at 3", "H13 Connection closed without response 1 at 4");
        context.Observations.OfType<HostFacts>().Single().Should().Match<HostFacts>(h => h.Platform == PlatformKind.Heroku && h.Source.Line == 1);
    }

    [Fact]
    public void App_and_dyno_lines_are_passed_over_and_drain_and_legacy_router_lines_read()
    {
        var context = Read("mixed.log");

        context.Problems.Should().BeEmpty();
        var timeouts = context.Observations.OfType<LogSignature>().Single();
        timeouts.Examples.Select(e => e.Location.Line).Should().Equal(4, 7);
        context.Observations.OfType<TrafficSummary>().First().Requests.Should().Be(3);
        context.Observations.OfType<RequestDurationHistogram>().Single().Count.Should().Be(3);
        context.FirstTimestamp.Should().Be(new DateTimeOffset(2011, 9, 22, 11, 43, 49, TimeSpan.Zero));
    }

    [Fact]
    public void Lines_of_no_heroku_kind_are_reported_and_skipped()
    {
        var context = new ReadContext("router.log");
        new HerokuRouterLogReader().Read(LineSource.FromText("router.log",
            "2026-11-23T23:45:22+00:00 heroku[router]: at=info method=GET path=\"/\" status=200 service=5ms\n"
            + "just some text\n"
            + "2026-11-23T23:45:23+00:00 heroku[router]: nothing useful here\n"
            + "2026-11-23T23:45:24+00:00 heroku[router]: at=info status=2000 service=abcms\n"), context);

        context.Problems.Select(p => p.Location.Line).Should().Equal(2, 3, 4);
        context.Observations.OfType<TrafficSummary>().First().Requests.Should().Be(1);
    }

    [Fact]
    public void The_reader_takes_router_logs_and_leaves_app_only_logs_to_the_gunicorn_readers()
    {
        var reader = new HerokuRouterLogReader();

        reader.Recognize("router.log", File.ReadAllLines(Sample("router.log"))).Should().Be(100);
        reader.Recognize("heroku.log", File.ReadAllLines(Sample("mixed.log"))).Should().BeInRange(50, 80);
        reader.Recognize("heroku.log", File.ReadAllLines(Sample("app-only.log"))).Should().Be(0);
        reader.Recognize("error.log", File.ReadAllLines(MutatedInputs.Sample("gunicorn", "error-23.log"))).Should().Be(0);
        new GunicornErrorLogReader().Recognize("router.log", File.ReadAllLines(Sample("router.log"))).Should().Be(0);
    }

    [Fact]
    public void HerokuRouterLogReader_survives_mutated_input()
    {
        var elapsed = MutatedInputs.Run(new HerokuRouterLogReader(), [Sample("router.log"), Sample("mixed.log"), Sample("app-only.log")], seed: 6);

        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }
}
