using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.AccessLogs;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Tests.AccessLogs;

public sealed class GunicornAccessLogReaderTests
{
    private const string SeedFormat = "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\" rt=%(L)s busy=%({x-busy}i)s";
    private const string CustomFormat = "%(t)s %(p)s %(h)s \"%(r)s\" %(s)s %(B)s %(M)s busy=%({x-busy-workers}o)s";
    private static readonly DateTimeOffset Base = new(2026, 11, 23, 23, 40, 0, TimeSpan.Zero);

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", "access", name);

    private static ReadContext Read(string name, IReadOnlyList<ConfigParameter>? known = null)
    {
        var context = new ReadContext(name, knownParameters: known);
        new GunicornAccessLogReader().Read(LineSource.FromFile(Sample(name)), context);
        return context;
    }

    private static ReadContext ReadText(string text, IReadOnlyList<ConfigParameter>? known = null)
    {
        var context = new ReadContext("generated.log", knownParameters: known);
        new GunicornAccessLogReader().Read(LineSource.FromText("generated.log", text), context);
        return context;
    }

    private static ConfigParameter Setting(string name, SettingValue value, int line) =>
        new(ConfigurationScope.Gunicorn, name, value, SettingOrigin.ConfigurationFile, new SourceLocation("gunicorn.conf.py", line));

    private static TrafficSummary Overall(ReadContext context) => context.Observations.OfType<TrafficSummary>().Single(s => s.Path is null);

    private static TrafficSummary PathSummary(ReadContext context, string path) =>
        context.Observations.OfType<TrafficSummary>().Single(s => s.Path == path);

    private static RequestDurationHistogram Histogram(ReadContext context, string? path) =>
        context.Observations.OfType<RequestDurationHistogram>().Single(h => path is null ? h.Labels.Count == 0 : h.Labels.GetValueOrDefault("path") == path);

    private static string Line(DateTimeOffset time, string path, int status, double seconds, string busy = "-") =>
        string.Create(CultureInfo.InvariantCulture,
            $"10.0.0.1 - - [{time:dd/MMM/yyyy:HH:mm:ss} +0000] \"GET {path} HTTP/1.1\" {status} 12 \"-\" \"load/1.0\" rt={seconds:0.000000} busy={busy}\n");

    [Fact]
    public void The_seed_format_gives_traffic_per_path_and_overall_with_statuses_times_and_locations()
    {
        var context = Read("gunicorn-access.log");

        var overall = Overall(context);
        overall.Logger.Should().Be("gunicorn");
        overall.Requests.Should().Be(11);
        overall.StatusCounts.Should().BeEquivalentTo(new Dictionary<int, long> { [200] = 6, [201] = 1, [304] = 1, [500] = 1, [502] = 1, [504] = 1 });
        overall.FirstSeen.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 40, 2, TimeSpan.Zero));
        overall.LastSeen.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 44, 10, TimeSpan.Zero));
        overall.Timeline!.Start.Should().Be(Base);
        overall.Timeline.Interval.Should().Be(TimeSpan.FromMinutes(1));
        overall.Timeline.Counts.Should().Equal(4, 3, 1, 2, 1);
        overall.Source.ToString().Should().Be("gunicorn-access.log:1");
        overall.Instance.Should().BeNull();

        context.Observations.OfType<TrafficSummary>().Where(s => s.Path is not null).Select(s => (s.Path, s.Requests, s.Source.Line)).Should().Equal(
            ("/health", 4L, 1), ("/api/orders", 3L, 2), ("/reports/annual", 2L, 5), ("/api/orders/1234", 1L, 9), ("/static/app.css", 1L, 12));
        var health = PathSummary(context, "/health");
        health.StatusCounts.Should().BeEquivalentTo(new Dictionary<int, long> { [200] = 4 });
        health.Timeline!.Counts.Should().Equal(2, 1, 0, 1);
        PathSummary(context, "/reports/annual").ServerErrors.Should().Be(2);
        context.FirstTimestamp.Should().Be(overall.FirstSeen);
        context.LastTimestamp.Should().Be(overall.LastSeen);
    }

    [Fact]
    public void The_seed_format_gives_duration_histograms_overall_and_per_path()
    {
        var context = Read("gunicorn-access.log");

        var overall = Histogram(context, null);
        overall.MetricName.Should().Be(GunicornAccessLogReader.DurationMetricName);
        overall.Count.Should().Be(11);
        overall.Sum!.Value.TotalSeconds.Should().BeApproximately(42.918132, 1e-6);
        overall.Source.ToString().Should().Be("gunicorn-access.log:1");
        overall.Timestamp.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 40, 2, TimeSpan.Zero));
        overall.Window.Should().Be(new TimeSpan(0, 4, 8));
        overall.Percentile(0.5)!.Value.TotalSeconds.Should().BeApproximately(0.002004, 0.002004 * 0.02);

        var annual = Histogram(context, "/reports/annual");
        annual.Count.Should().Be(2);
        annual.Source.Line.Should().Be(5);
        annual.Percentile(0.5)!.Value.TotalSeconds.Should().BeApproximately(12.503311, 12.503311 * 0.02);
        annual.Percentile(1)!.Value.TotalSeconds.Should().BeApproximately(30.00155, 30.00155 * 0.02);
        context.Observations.OfType<RequestDurationHistogram>().Select(h => h.Labels.GetValueOrDefault("path")).Should().Equal(
            null, "/health", "/api/orders", "/reports/annual", "/api/orders/1234", "/static/app.css");
    }

    [Fact]
    public void Busy_worker_values_become_utilization_samples_and_5xx_responses_signatures_without_secrets()
    {
        var context = Read("gunicorn-access.log");

        context.Observations.OfType<WorkerUtilization>().Select(u => (u.Busy, u.Total, u.Source.Line)).Should().Equal(
            (1, 9, 1), (3, 9, 2), (4, 9, 3), (2, 9, 4), (9, 9, 5), (9, 9, 6), (9, 9, 7), (5, 9, 9), (9, 9, 10), (2, 9, 12));
        context.Observations.OfType<WorkerUtilization>().First().Timestamp.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 40, 2, TimeSpan.Zero));

        var signatures = context.Observations.OfType<LogSignature>().ToArray();
        signatures.Select(s => (s.Kind, s.Count, s.Source.Line)).Should().Equal(
            (LogSignatureKind.Http500, 1L, 5), (LogSignatureKind.Http502, 1L, 9), (LogSignatureKind.Http504, 1L, 10));
        signatures[0].Examples[0].Text.Should().Contain("GET /reports/annual?token=***&year=2025 HTTP/1.1").And.NotContain("s3cr3t");
        signatures[2].FirstSeen.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 43, 1, TimeSpan.Zero));
        context.Observations.Should().NotContain(o => o.Describe().Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public void Secret_headers_in_the_format_are_masked_in_examples()
    {
        var format = AccessLogFormat.DefaultText + " \"%({authorization}i)s\" %({x-api-key}i)s %({cookie}i)s";
        var context = ReadText(
            "10.0.0.1 - - [23/Nov/2026:23:45:22 +0000] \"GET /a HTTP/1.1\" 500 5 \"-\" \"curl/8.5.0\" \"Bearer eyJhbGciOi.J9\" k-12345 sid=abc123\n",
            [Setting("access_log_format", SettingValue.FromText(format), 1)]);

        var example = context.Observations.OfType<LogSignature>().Single().Examples[0].Text;
        example.Should().EndWith("\"curl/8.5.0\" \"***\" *** ***").And.NotContain("eyJ").And.NotContain("k-12345").And.NotContain("abc123");
    }

    [Fact]
    public void A_line_that_does_not_match_is_reported_with_its_number_and_the_rest_is_read()
    {
        var context = Read("gunicorn-access.log");

        context.Problems.Should().ContainSingle().Which.Should().Match<InputDiagnostic>(p =>
            p.Location.ToString() == "gunicorn-access.log:8" && p.Severity == InputDiagnosticSeverity.Warning
            && p.Message.StartsWith("not a line of the access log format", StringComparison.Ordinal));
    }

    [Fact]
    public void The_default_format_is_detected_and_gives_no_histogram_without_a_duration_atom()
    {
        var context = Read("access.log");

        var overall = Overall(context);
        overall.Requests.Should().Be(5);
        overall.StatusCounts.Should().BeEquivalentTo(new Dictionary<int, long> { [200] = 3, [204] = 1, [500] = 1 });
        PathSummary(context, "/api/items").Requests.Should().Be(2, "the query string is not part of the path");
        PathSummary(context, "/api/items/7").StatusCounts.Should().ContainKey(204);
        context.Observations.OfType<RequestDurationHistogram>().Should().BeEmpty();
        context.Observations.OfType<WorkerUtilization>().Should().BeEmpty();
        context.Observations.OfType<LogSignature>().Should().ContainSingle().Which.Examples[0].Location.Line.Should().Be(4);
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void The_format_is_taken_from_a_known_access_log_format_and_bare_busy_counts_from_the_workers_setting()
    {
        var known = new[]
        {
            Setting("access_log_format", SettingValue.FromText(CustomFormat), 7),
            Setting("workers", SettingValue.Integer(4), 3),
        };

        var context = Read("access-custom.log", known);

        context.Problems.Should().BeEmpty();
        var overall = Overall(context);
        overall.Requests.Should().Be(4);
        overall.StatusCounts.Should().BeEquivalentTo(new Dictionary<int, long> { [200] = 3, [502] = 1 });
        overall.FirstSeen.Should().Be(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(-5)));
        PathSummary(context, "/export/csv").Requests.Should().Be(3);
        PathSummary(context, "/healthz").Requests.Should().Be(1);
        var histogram = Histogram(context, "/export/csv");
        histogram.Count.Should().Be(3);
        histogram.Sum!.Value.Should().BeCloseTo(TimeSpan.FromMilliseconds(1830 + 2210 + 30004), TimeSpan.FromTicks(10));
        context.Observations.OfType<WorkerUtilization>().Select(u => (u.Busy, u.Total, u.Source.Line)).Should().Equal((2, 4, 1), (4, 4, 2), (4, 4, 3));
        context.Observations.OfType<LogSignature>().Single().Should().Match<LogSignature>(s => s.Kind == LogSignatureKind.Http502 && s.Pids.Single() == 4103);
    }

    [Fact]
    public void Threads_multiply_the_capacity_of_bare_busy_counts_for_gthread()
    {
        var known = new[]
        {
            Setting("access_log_format", SettingValue.FromText(CustomFormat), 7),
            Setting("workers", SettingValue.Integer(2), 3),
            Setting("threads", SettingValue.Integer(4), 4),
        };

        var context = Read("access-custom.log", known);

        context.Observations.OfType<WorkerUtilization>().Select(u => u.Total).Should().Equal(8, 8, 8);
    }

    [Fact]
    public void Bare_busy_counts_without_a_known_worker_count_give_no_samples_and_one_warning()
    {
        var context = Read("access-custom.log", [Setting("access_log_format", SettingValue.FromText(CustomFormat), 7)]);

        context.Observations.OfType<WorkerUtilization>().Should().BeEmpty();
        context.Problems.Should().ContainSingle().Which.Should().Match<InputDiagnostic>(p => p.Location.Line == 1 && p.Message.Contains("no total"));
        Overall(context).Requests.Should().Be(4);
    }

    [Fact]
    public void An_invalid_configured_format_is_reported_and_the_format_detected()
    {
        var context = Read("gunicorn-access.log", [Setting("access_log_format", SettingValue.FromText("%(h)s %(t)d"), 7)]);

        context.Problems.Should().HaveCount(2);
        context.Problems[0].Message.Should().Contain("'%(h)s %(t)d' (access_log_format at gunicorn.conf.py:7) is invalid")
            .And.Contain("only the string conversion");
        Overall(context).Requests.Should().Be(11);
        context.Observations.OfType<WorkerUtilization>().Should().HaveCount(10);
    }

    [Fact]
    public void A_configured_format_that_matches_no_line_is_replaced_by_the_detected_one()
    {
        var context = Read("gunicorn-access.log", [Setting("access_log_format", SettingValue.FromText(CustomFormat), 7)]);

        context.Problems[0].Message.Should().StartWith("none of the first 12 lines match the configured access_log_format")
            .And.EndWith($"they match '{SeedFormat}', which was used instead");
        Overall(context).Requests.Should().Be(11);
    }

    [Fact]
    public void A_configured_format_for_another_instance_is_not_used()
    {
        var other = Setting("access_log_format", SettingValue.FromText(CustomFormat), 7) with { Instance = "web-2" };
        var context = new ReadContext("access-custom.log", "web-1", [other]);

        new GunicornAccessLogReader().Read(LineSource.FromFile(Sample("access-custom.log")), context);

        context.Observations.Should().BeEmpty("no line matches without the format");
        context.Problems.Should().Contain(p => p.Message.Contains("no access_log_format is known"));
    }

    [Fact]
    public void Unrecognised_lines_without_a_known_format_are_each_reported_and_nothing_is_made_up()
    {
        var context = Read("access-custom.log");

        context.Observations.Should().BeEmpty();
        context.Problems.Select(p => p.Location.Line).Should().Equal(null, 1, 2, 3, 4);
    }

    [Fact]
    public void Error_log_lines_in_the_same_stream_are_skipped_with_one_warning()
    {
        var context = Read("stdout.log");

        Overall(context).Requests.Should().Be(3);
        PathSummary(context, "/health").Requests.Should().Be(2);
        context.Observations.OfType<LogSignature>().Single().Should().Match<LogSignature>(s => s.Kind == LogSignatureKind.Http500 && s.Source.Line == 13);
        context.Problems.Should().ContainSingle().Which.Should().Match<InputDiagnostic>(p =>
            p.Location.Line == 1 && p.Message.StartsWith("11 line(s) of Gunicorn's error log", StringComparison.Ordinal));
    }

    [Fact]
    public void Kubernetes_json_wrapped_lines_are_unwrapped_and_integer_microseconds_detected()
    {
        var context = Read("kubernetes-access.log");

        context.Problems.Should().BeEmpty();
        Overall(context).Requests.Should().Be(3);
        Histogram(context, null).Sum!.Value.Should().BeCloseTo(TimeSpan.FromMicroseconds(1203 + 45120 + 5002311), TimeSpan.FromTicks(10));
        context.Observations.OfType<LogSignature>().Single().Examples[0].Text.Should().StartWith("10.0.0.7 - - [23/Nov/2026:23:40:09 +0000] \"POST /api/cart");
    }

    [Fact]
    public void Platform_and_journald_prefixes_are_removed()
    {
        var context = ReadText(
            "2026-11-23T23:45:22.123456+00:00 app[web.1]: 10.1.2.3 - - [23/Nov/2026:23:45:22 +0000] \"GET /a HTTP/1.1\" 200 5 \"-\" \"curl/8.5.0\"\n"
            + "Nov 23 23:45:23 web-1 gunicorn[812]: 10.1.2.4 - - [23/Nov/2026:23:45:23 +0000] \"GET /b HTTP/1.1\" 404 9 \"-\" \"curl/8.5.0\"\n");

        context.Problems.Should().BeEmpty();
        Overall(context).StatusCounts.Should().BeEquivalentTo(new Dictionary<int, long> { [200] = 1, [404] = 1 });
        PathSummary(context, "/b").Source.Line.Should().Be(2);
    }

    [Fact]
    public void Percentiles_of_known_durations_are_within_the_two_percent_bound()
    {
        var text = new StringBuilder();
        for (var i = 1; i <= 1000; i++)
        {
            text.Append(Line(Base.AddSeconds(i), "/work", 200, i / 1000.0));
        }

        var histogram = Histogram(ReadText(text.ToString()), null);

        histogram.Count.Should().Be(1000);
        foreach (var q in new[] { 0.5, 0.9, 0.95, 0.99 })
        {
            var exact = Math.Ceiling(q * 1000) / 1000.0;
            histogram.Percentile(q)!.Value.TotalSeconds.Should().BeApproximately(exact, exact * 0.02, $"P{q * 100}");
        }

        Histogram(ReadText(text.ToString()), "/work").Percentile(0.95)!.Value.TotalSeconds.Should().BeApproximately(0.95, 0.95 * 0.02);
    }

    [Fact]
    public void Only_the_most_requested_paths_are_kept_the_rest_fold_into_other_and_health_checks_stay_visible()
    {
        var text = new StringBuilder();
        var time = Base;
        for (var i = 0; i < 3000; i++)
        {
            text.Append(Line(time, $"/items/{i}", 200, 0.01));
        }

        text.Append(Line(time, "/zz/health", 200, 0.001));
        for (var i = 0; i < 50; i++)
        {
            text.Append(Line(time.AddMinutes(1), "/late/hot", 503, 0.5));
            text.Append(Line(time.AddMinutes(1), $"/more/{i}", 200, 0.01));
        }

        var context = ReadText(text.ToString());

        var summaries = context.Observations.OfType<TrafficSummary>().ToArray();
        var overall = Overall(context);
        overall.Requests.Should().Be(3101);
        summaries.Where(s => s.Path is not null).Sum(s => s.Requests).Should().Be(3101);
        summaries.Should().HaveCount(1 + GunicornAccessLogReader.MaximumPaths + 2, "the top 200, the pinned health check, and (other)");
        summaries[1].Should().Match<TrafficSummary>(s => s.Path == "/late/hot" && s.Requests == 50 && s.WithStatus(503) == 50);
        PathSummary(context, "/zz/health").Requests.Should().Be(1);
        var other = PathSummary(context, GunicornAccessLogReader.OtherPath);
        other.Requests.Should().Be(3101 - 50 - 1 - 199);
        other.Timeline!.Total.Should().Be(other.Requests);
        Histogram(context, GunicornAccessLogReader.OtherPath).Count.Should().Be(other.Requests);
        Histogram(context, GunicornAccessLogReader.OtherPath).Sum!.Value.TotalSeconds.Should().BeApproximately(other.Requests * 0.01, 1e-6);
        Histogram(context, GunicornAccessLogReader.OtherPath).Percentile(0.5)!.Value.TotalSeconds.Should().BeApproximately(0.01, 0.01 * 0.02);
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Busy_samples_are_capped_and_thinned_evenly_keeping_the_share_at_full_capacity()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 25_000; i++)
        {
            text.Append(Line(Base.AddSeconds(i / 10), "/x", 200, 0.01, i % 10 == 9 ? "9/9" : "3/9"));
        }

        var samples = ReadText(text.ToString()).Observations.OfType<WorkerUtilization>().ToArray();

        samples.Length.Should().BeLessThanOrEqualTo(GunicornAccessLogReader.MaximumBusySamples).And.BeGreaterThan(GunicornAccessLogReader.MaximumBusySamples / 2);
        (samples.Count(s => s.Busy >= s.Total) / (double)samples.Length).Should().BeApproximately(0.1, 0.005);
        samples.First(s => s.Busy == 9).Source.Line.Should().Be(10, "the first sample at full capacity is kept");
        samples.Select(s => s.Source.Line).Should().BeInAscendingOrder();
    }

    [Fact]
    public void A_time_years_away_from_the_rest_is_reported_and_not_used()
    {
        var context = ReadText(Line(Base, "/a", 200, 0.1) + Line(Base.AddYears(70), "/a", 200, 0.1) + Line(Base.AddMinutes(1), "/a", 200, 0.1));

        var overall = Overall(context);
        overall.Requests.Should().Be(3);
        overall.LastSeen.Should().Be(Base.AddMinutes(1));
        overall.Timeline!.Counts.Should().Equal(1, 1);
        context.Problems.Should().ContainSingle().Which.Location.Line.Should().Be(2);
    }

    [Fact]
    public void Malformed_busy_values_are_reported_and_the_request_still_counted()
    {
        var context = ReadText(Line(Base, "/a", 200, 0.1, "lots") + Line(Base, "/a", 200, 0.1, "2/x") + Line(Base, "/a", 200, 0.1, "2/4"));

        context.Problems.Select(p => p.Location.Line).Should().Equal(1, 2);
        context.Observations.OfType<WorkerUtilization>().Should().ContainSingle();
        Overall(context).Requests.Should().Be(3);
    }

    [Fact]
    public void An_empty_input_gives_nothing()
    {
        var context = ReadText("");

        context.Observations.Should().BeEmpty();
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void The_reader_recognises_gunicorn_access_logs_and_defers_to_nginx_for_nginx_looking_ones()
    {
        var reader = new GunicornAccessLogReader();
        string[] plain = [.. File.ReadAllLines(Sample("access.log"))];
        string[] nginx =
        [
            "10.0.0.1 - - [01/May/2024:12:00:00 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.0\" \"-\" rt=0.002 uct=\"0.000\" uht=\"0.002\" urt=\"0.002\"",
        ];

        reader.Recognize("gunicorn-access.log", File.ReadAllLines(Sample("gunicorn-access.log"))).Should().BeGreaterThanOrEqualTo(85);
        reader.Recognize("access.log", File.ReadAllLines(Sample("gunicorn-access.log"))).Should().BeGreaterThanOrEqualTo(85, "busy= and rt= with six decimals are Gunicorn's");
        reader.Recognize("app.log", File.ReadAllLines(Sample("kubernetes-access.log"))).Should().BeInRange(40, 60, "a trailing integer may be nginx's too");
        reader.Recognize("gunicorn.log", File.ReadAllLines(Sample("kubernetes-access.log"))).Should().BeGreaterThanOrEqualTo(85);
        reader.Recognize("access.log", plain).Should().BeInRange(50, 70, "nginx's combined format looks the same");
        reader.Recognize("requests.txt", plain).Should().BeInRange(40, 60);
        reader.Recognize("gunicorn.access.log", plain).Should().BeGreaterThanOrEqualTo(85);
        reader.Recognize("nginx-access.log", plain).Should().BeLessThanOrEqualTo(25);
        reader.Recognize("access.log", nginx).Should().BeLessThanOrEqualTo(25);
        reader.Recognize("access-custom.log", File.ReadAllLines(Sample("access-custom.log"))).Should().BeGreaterThan(0);
    }

    [Fact]
    public void Error_logs_are_not_access_logs_and_access_logs_are_not_error_logs()
    {
        var reader = new GunicornAccessLogReader();
        var errorLog = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Samples", "gunicorn", "error-23.log"));
        string[] nginxError =
        [
            "2026/11/23 23:45:22 [error] 1234#1234: *5 upstream prematurely closed connection while reading response header from upstream, "
            + "client: 10.0.0.1, server: _, request: \"GET /x HTTP/1.1\", upstream: \"http://unix:/run/gunicorn.sock:/x\", host: \"example.com\"",
        ];

        reader.Recognize("error.log", errorLog).Should().Be(0);
        reader.Recognize("gunicorn-error.log", errorLog).Should().Be(0);
        reader.Recognize("error.log", nginxError).Should().Be(0);
        reader.Recognize("notes.txt", ["just some text"]).Should().Be(0);
        reader.Recognize("access.log", []).Should().Be(0);
        foreach (var sample in new[] { "gunicorn-access.log", "access.log", "access-custom.log", "kubernetes-access.log" })
        {
            new GunicornErrorLogReader().Recognize(sample, File.ReadAllLines(Sample(sample))).Should().Be(0, sample);
        }
    }

    [Fact]
    public void A_batch_detects_the_access_log_and_reads_it_with_the_instance_named()
    {
        var result = new ArtifactReaders([new GunicornErrorLogReader(), new GunicornAccessLogReader()])
            .Read([new ArtifactRequest(Sample("gunicorn-access.log")) { Instance = "web-1" }]);

        result.Inputs.Should().ContainSingle().Which.Kind.Should().Be(ArtifactKind.GunicornAccessLog);
        result.Observations.OfType<TrafficSummary>().Should().OnlyContain(s => s.Instance == "web-1");
        result.Inputs[0].FirstTimestamp.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 40, 2, TimeSpan.Zero));
    }

    [Fact]
    public void GunicornAccessLogReader_survives_mutated_input()
    {
        var samples = new[] { "gunicorn-access.log", "access.log", "access-custom.log", "stdout.log", "kubernetes-access.log" }
            .Select(name => File.ReadAllBytes(Sample(name))).ToArray();
        var known = new[] { Setting("access_log_format", SettingValue.FromText(SeedFormat), 1), Setting("workers", SettingValue.Integer(3), 2) };
        var random = new Random(20261123);
        var reader = new GunicornAccessLogReader();
        var watch = Stopwatch.StartNew();

        for (var round = 0; round < 300; round++)
        {
            var input = Mutate(samples[random.Next(samples.Length)], samples[random.Next(samples.Length)], random, round % 6);
            var context = new ReadContext($"mutated-{round}.log", knownParameters: round % 2 == 0 ? known : null);
            var source = LineSource.FromBytes(context.SourceName, input);

            reader.Recognize(context.SourceName, source.Head());
            reader.Read(source, context);

            context.Problems.Count.Should().BeLessThanOrEqualTo(ReadContext.MaximumProblemsPerInput + 1);
        }

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }

    private static byte[] Mutate(byte[] sample, byte[] other, Random random, int kind)
    {
        var bytes = new List<byte>(sample);
        switch (kind)
        {
            case 0:
                for (var i = random.Next(1, 12); i > 0 && bytes.Count > 0; i--)
                {
                    var at = random.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }

                break;
            case 1:
                return bytes.Take(random.Next(bytes.Count + 1)).ToArray();
            case 2:
                return [.. sample.Take(random.Next(sample.Length + 1)), .. other.Skip(random.Next(other.Length + 1))];
            case 3:
                var line = new byte[200 * 1024];
                const string Alphabet = "ab\"\\ []:/<>=-0123456789.";
                for (var i = 0; i < line.Length; i++)
                {
                    line[i] = (byte)Alphabet[random.Next(Alphabet.Length)];
                }

                bytes.InsertRange(random.Next(bytes.Count + 1), [(byte)'\n', .. line, (byte)'\n']);
                break;
            case 4:
                for (var i = random.Next(1, 6); i > 0; i--)
                {
                    bytes.InsertRange(random.Next(bytes.Count + 1), random.Next(3) switch
                    {
                        0 => new byte[] { 0xC3, 0x28 },
                        1 => new byte[] { 0xFF, 0xFE, 0xFD },
                        _ => new byte[] { 0x00 },
                    });
                }

                break;
            default:
                bytes = [.. sample.Take(random.Next(sample.Length + 1)), .. other];
                for (var i = random.Next(1, 30); i > 0 && bytes.Count > 0; i--)
                {
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                }

                break;
        }

        return [.. bytes];
    }
}
