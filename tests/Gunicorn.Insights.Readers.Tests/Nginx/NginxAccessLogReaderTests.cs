using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.AccessLogs;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Nginx;

namespace Gunicorn.Insights.Readers.Tests.Nginx;

public sealed class NginxAccessLogReaderTests
{
    private static string Sample(string name) => MutatedInputs.Sample("nginx", name);

    private static ConfigParameter[] NginxConf()
    {
        var context = new ReadContext("nginx.conf");
        new NginxConfigReader().Read(LineSource.FromFile(Sample("nginx.conf")), context);
        return context.Observations.OfType<ConfigParameter>().ToArray();
    }

    private static ReadContext Read(string name, IReadOnlyList<ConfigParameter>? known = null)
    {
        var context = new ReadContext(name, knownParameters: known);
        new NginxAccessLogReader().Read(LineSource.FromFile(Sample(name)), context);
        return context;
    }

    private static ReadContext ReadText(string text, IReadOnlyList<ConfigParameter>? known = null)
    {
        var context = new ReadContext("access.log", knownParameters: known);
        new NginxAccessLogReader().Read(LineSource.FromText("access.log", text), context);
        return context;
    }

    private static DateTimeOffset At(int hour, int minute, int second) => new(2026, 11, 23, hour, minute, second, TimeSpan.Zero);

    private static string Describe(TrafficSummary t) =>
        $"{t.Path ?? "*"} {t.Requests} [{string.Join(",", t.StatusCounts.Select(s => $"{s.Key}:{s.Value}"))}] at {t.Source.Line}";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_timed_access_log_gives_traffic_histograms_and_5xx_signatures(bool withConfiguration)
    {
        var context = Read("access.log", withConfiguration ? NginxConf() : null);

        context.Problems.Should().BeEmpty();
        var traffic = context.Observations.OfType<TrafficSummary>().ToArray();
        traffic.Should().OnlyContain(t => t.Logger == "nginx" && t.Source.Source == "access.log");
        traffic.Select(Describe).Should().Equal(
            "* 10 [200:5,400:1,500:1,502:2,504:1] at 1",
            "/health 3 [200:3] at 3",
            "/reports/annual 2 [502:1,504:1] at 4",
            "/ 1 [200:1] at 1",
            "/static/app.css 1 [200:1] at 2",
            "/login 1 [502:1] at 5",
            "/search 1 [500:1] at 8",
            "(other) 1 [400:1] at 9");
        traffic[0].FirstSeen.Should().Be(At(23, 45, 1));
        traffic[0].LastSeen.Should().Be(At(23, 49, 10));
        traffic[0].Timeline!.Total.Should().Be(10);

        var requestTime = context.Observations.OfType<RequestDurationHistogram>().Single(h => h.MetricName == "nginx_request_time_seconds");
        requestTime.Count.Should().Be(10);
        requestTime.Sum!.Value.TotalSeconds.Should().BeApproximately(151.315, 1e-6);
        requestTime.Source.ToString().Should().Be("access.log:1");
        requestTime.Percentile(0.95)!.Value.TotalSeconds.Should().BeApproximately(120.002, 120.002 * 0.02);
        requestTime.Timestamp.Should().Be(At(23, 45, 1));

        var upstream = context.Observations.OfType<RequestDurationHistogram>().Single(h => h.MetricName == "nginx_upstream_response_time_seconds");
        upstream.Count.Should().Be(8, "'-' means no upstream was asked");
        upstream.Sum!.Value.TotalSeconds.Should().BeApproximately(151.309, 1e-6, "retries (0.000, 0.001) and (0.750 : 0.500) are summed");

        context.Observations.OfType<LogSignature>().Select(s => (s.Kind, s.Count, s.Examples[0].Location.Line)).Should().Equal(
            (LogSignatureKind.Http500, 1, 8), (LogSignatureKind.Http502, 2, 4), (LogSignatureKind.Http504, 1, 7));
        var gatewayTimeout = context.Observations.OfType<LogSignature>().Single(s => s.Kind == LogSignatureKind.Http504);
        gatewayTimeout.FirstSeen.Should().Be(At(23, 48, 22));
        gatewayTimeout.Examples[0].Text.Should().Contain("token=***").And.NotContain("abc123");
    }

    [Fact]
    public void The_combined_format_is_read_with_its_time_zones_and_bad_lines_are_reported()
    {
        var context = Read("access-combined.log");

        context.Problems.Should().ContainSingle().Which.Should().Match<InputDiagnostic>(p =>
            p.Location.Line == 3 && p.Message.StartsWith("not an nginx access-log line", StringComparison.Ordinal));
        var all = context.Observations.OfType<TrafficSummary>().First();
        Describe(all).Should().Be("* 4 [200:2,499:1,504:1] at 1");
        all.FirstSeen.Should().Be(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(-5)));
        context.Observations.OfType<TrafficSummary>().Select(t => t.Path).Should().Equal(null, "/api/items", "/");
        context.Observations.OfType<RequestDurationHistogram>().Should().BeEmpty();
        context.Observations.OfType<LogSignature>().Single().Should().Match<LogSignature>(s => s.Kind == LogSignatureKind.Http504 && s.Source.Line == 4);
    }

    [Fact]
    public void Bare_request_and_upstream_times_after_the_combined_fields_are_found()
    {
        var context = Read("access-bare-timings.log");

        context.Problems.Should().BeEmpty();
        var histograms = context.Observations.OfType<RequestDurationHistogram>().ToDictionary(h => h.MetricName);
        histograms["nginx_request_time_seconds"].Count.Should().Be(3);
        histograms["nginx_request_time_seconds"].Sum!.Value.TotalSeconds.Should().BeApproximately(0.131, 1e-6);
        histograms["nginx_upstream_response_time_seconds"].Count.Should().Be(2);
        histograms["nginx_upstream_response_time_seconds"].Sum!.Value.TotalSeconds.Should().BeApproximately(0.127, 1e-6);
    }

    [Fact]
    public void A_log_format_from_the_batch_configuration_is_used_when_the_access_log_names_it()
    {
        var known = new[]
        {
            new ConfigParameter(ConfigurationScope.Nginx, "log_format",
                SettingValue.FromText("$remote_addr [$time_local] $request_time $upstream_response_time \"$request\" $status"),
                SettingOrigin.ConfigurationFile, new("nginx.conf", 3)) { WrittenAs = "log_format short" },
            new ConfigParameter(ConfigurationScope.Nginx, "access_log", SettingValue.List(["/var/log/nginx/access.log", "short"]),
                SettingOrigin.ConfigurationFile, new("nginx.conf", 4)),
        };

        var context = ReadText(
            "10.0.0.1 [23/Nov/2026:23:45:22 +0000] 2.500 1.000, 1.400 \"GET /x?y=1 HTTP/1.1\" 200\n"
            + "10.0.0.1 [23/Nov/2026:23:45:23 +0000] 0.010 - \"GET /y HTTP/1.1\" 504\n", known);

        context.Problems.Should().BeEmpty();
        context.Observations.OfType<TrafficSummary>().Select(Describe).Should().Equal("* 2 [200:1,504:1] at 1", "/x 1 [200:1] at 1", "/y 1 [504:1] at 2");
        var histograms = context.Observations.OfType<RequestDurationHistogram>().ToDictionary(h => h.MetricName);
        histograms["nginx_request_time_seconds"].Sum!.Value.TotalSeconds.Should().BeApproximately(2.51, 1e-6);
        histograms["nginx_upstream_response_time_seconds"].Count.Should().Be(1);
        histograms["nginx_upstream_response_time_seconds"].Sum!.Value.TotalSeconds.Should().BeApproximately(2.4, 1e-6);
    }

    [Fact]
    public void Kubernetes_json_lines_are_unwrapped()
    {
        var context = Read("kubernetes-access.log");

        context.Problems.Should().BeEmpty();
        context.Observations.OfType<TrafficSummary>().First().Requests.Should().Be(2);
        context.Observations.OfType<LogSignature>().Single().Should().Match<LogSignature>(s => s.Kind == LogSignatureKind.Http504 && s.Source.Line == 2);
        context.Observations.OfType<RequestDurationHistogram>().Should().HaveCount(2);
    }

    [Fact]
    public void Many_paths_are_capped_at_200_summaries_and_an_other_summary()
    {
        var lines = Enumerable.Range(0, 300).Select(i =>
            $"10.0.0.1 - - [23/Nov/2026:23:45:22 +0000] \"GET /item/{i} HTTP/1.1\" 200 1 \"-\" \"-\"");
        var busiest = Enumerable.Repeat("10.0.0.1 - - [23/Nov/2026:23:45:22 +0000] \"GET /busy HTTP/1.1\" 200 1 \"-\" \"-\"", 5);
        var context = ReadText(string.Join('\n', lines.Concat(busiest)));

        var paths = context.Observations.OfType<TrafficSummary>().ToArray();
        paths.Should().HaveCount(1 + 200 + 1);
        paths[1].Path.Should().Be("/busy");
        paths[^1].Should().Match<TrafficSummary>(t => t.Path == "(other)" && t.Requests == 101);
        paths.Skip(1).Sum(t => t.Requests).Should().Be(305);
    }

    [Fact]
    public void The_reader_beats_the_gunicorn_access_log_reader_on_nginx_files_and_leaves_it_gunicorn_files()
    {
        var nginx = new NginxAccessLogReader();
        var gunicorn = new GunicornAccessLogReader();
        var timed = File.ReadAllLines(Sample("access.log"));
        var combined = File.ReadAllLines(Sample("access-combined.log"));

        nginx.Recognize("access.log", timed).Should().BeGreaterThan(gunicorn.Recognize("access.log", timed)).And.BeGreaterThanOrEqualTo(80);
        nginx.Recognize("nginx-access.log", combined).Should().BeGreaterThanOrEqualTo(80).And.BeGreaterThan(gunicorn.Recognize("nginx-access.log", combined));
        nginx.Recognize("access.log", File.ReadAllLines(Sample("access-bare-timings.log"))).Should().BeGreaterThanOrEqualTo(80);
        nginx.Recognize("gunicorn-access.log", combined).Should().Be(0);
        nginx.Recognize("access.log", ["10.0.0.1 - - [23/Nov/2026:23:45:22 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\" rt=0.012345"])
            .Should().BeLessThan(60, "six decimals are Gunicorn's %(L)s");
        nginx.Recognize("error.log", File.ReadAllLines(MutatedInputs.Sample("gunicorn", "error-23.log"))).Should().Be(0);
        new GunicornErrorLogReader().Recognize("access.log", timed).Should().Be(0);
    }

    [Fact]
    public void NginxAccessLogReader_survives_mutated_input()
    {
        var elapsed = MutatedInputs.Run(new NginxAccessLogReader(),
            [Sample("access.log"), Sample("access-combined.log"), Sample("access-bare-timings.log"), Sample("kubernetes-access.log"), Sample("docker.log")],
            seed: 3, known: NginxConf());

        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }
}
