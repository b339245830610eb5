using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Metrics;

namespace Gunicorn.Insights.Rules.Tests.Latency;

public sealed class HighP95LatencyRuleTests
{
    private const double Inf = double.PositiveInfinity;

    /// <summary>1000 requests, 50 of them between 2.5 s and 5 s: P95 = 2.5 + 2.5 × 10/50 = 3 s.</summary>
    private static readonly (double, double)[] SlowBuckets =
        [(0.1, 500), (0.25, 700), (0.5, 800), (1, 900), (2.5, 940), (5, 990), (10, 1000), (Inf, 1000)];

    private static RequestDurationHistogram Durations(int line, string? path = null, TimeSpan? window = null, string metric = "gunicorn_request_duration_seconds",
        params (double UpperBound, double Count)[] buckets) =>
        RequestDurationHistogram.FromUpperBoundsInSeconds(metric, buckets, new SourceLocation("metrics/web-1.prom", line)) with
        {
            Labels = path is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["path"] = path },
            Window = window,
        };

    private static IEnumerable<Diagnosis> Gi3001(params object[] facts) =>
        BuiltInRules.Analyze(facts).Diagnoses.Where(d => d.Id == "GI3001");

    [Fact]
    public void A_p95_above_two_seconds_fires_with_the_request_count_and_the_window()
    {
        BuiltInRules.Fixture.Given(Durations(12, window: TimeSpan.FromMinutes(10), buckets: SlowBuckets))
            .Expect("GI3001").FiresOnce()
            .WithSeverity(Severity.Warning)
            .WithMessage("P95 request duration is 3 s over 1000 requests in gunicorn_request_duration_seconds over 10 min (limit 2 s)")
            .WithEvidenceExactlyAt("metrics/web-1.prom:12");
    }

    [Fact]
    public void Per_path_histograms_name_the_slow_path_and_a_p95_in_the_inf_bucket_is_not_given_a_value()
    {
        // /api/items: 5000 fast requests. /reports/export: 200 requests, 100 of them slower than 10 s.
        var fast = Durations(3, "/api/items", buckets: [(0.1, 4000), (0.25, 5000), (0.5, 5000), (1, 5000), (2.5, 5000), (5, 5000), (10, 5000), (Inf, 5000)]);
        var export = Durations(9, "/reports/export", buckets: [(0.1, 0), (0.25, 0), (0.5, 0), (1, 0), (2.5, 10), (5, 30), (10, 100), (Inf, 200)]);

        var diagnosis = Gi3001(fast, export).Should().ContainSingle().Subject;

        // Together: rank 4940 of 5200 lies in the 0.1–0.25 s bucket: 0.1 + 0.15 × 940/1000 = 0.241 s.
        diagnosis.Message.Should().Be("P95 request duration is 241 ms over 5200 requests in gunicorn_request_duration_seconds (limit 2 s); "
            + "paths above the limit: /reports/export P95 above 10 s (200 requests)");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("metrics/web-1.prom:9");
    }

    [Fact]
    public void A_single_path_series_is_the_whole_traffic_and_is_not_listed_again()
    {
        var diagnosis = Gi3001(Durations(5, "/search", buckets: SlowBuckets)).Should().ContainSingle().Subject;

        diagnosis.Message.Should().Be("P95 request duration is 3 s over 1000 requests in gunicorn_request_duration_seconds (limit 2 s)");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("metrics/web-1.prom:5");
    }

    [Fact]
    public void A_second_metric_of_the_same_requests_is_not_counted_twice()
    {
        var diagnosis = Gi3001(
            Durations(5, buckets: SlowBuckets),
            Durations(6, metric: "django_http_requests_latency_seconds", buckets: [(0.5, 300), (2.5, 310), (Inf, 320)])).Should().ContainSingle().Subject;

        diagnosis.Message.Should().Be("P95 request duration is 3 s over 1000 requests in gunicorn_request_duration_seconds (limit 2 s)");
    }

    [Fact]
    public void A_p95_interpolated_inside_a_bucket_much_wider_than_the_limit_says_the_value_is_imprecise()
    {
        // Rank 950 between 800 (0.5 s) and 1000 (5 s): 0.5 + 4.5 × 150/200 = 3.875 s, anywhere from 0.5 s to 5 s in truth.
        var diagnosis = Gi3001(Durations(4, buckets: [(0.1, 300), (0.5, 800), (5, 1000), (Inf, 1000)])).Should().ContainSingle().Subject;

        diagnosis.Message.Should().Be("P95 request duration is 3.875 s over 1000 requests in gunicorn_request_duration_seconds (limit 2 s); "
            + "the P95 is interpolated inside the 500 ms to 5 s bucket, too wide around the limit for a precise value: "
            + "use buckets such as http_request_duration_seconds.buckets [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]");
    }

    [Fact]
    public void A_p95_under_the_limit_does_not_fire()
    {
        // P95: rank 1486.75 in the 0.5–1 s bucket, about 0.89 s.
        var healthy = Durations(1, buckets: [(0.1, 812), (0.5, 1430), (1, 1502), (2.5, 1540), (5, 1551), (10, 1555), (30, 1561), (Inf, 1565)]);

        var session = BuiltInRules.Analyze(healthy);

        session.Diagnoses.Where(d => d.Id == "GI3001" || d.Message.StartsWith("GI3001", StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Fact]
    public void The_limit_is_a_parameter()
    {
        var session = BuiltInRules.Factory.CreateSession(new InsightConfiguration(parameters: new Dictionary<string, string> { ["GI3001.p95-limit"] = "5s" }));
        session.Insert(Durations(12, buckets: SlowBuckets));
        session.Fire();

        session.Diagnoses.Where(d => d.Id == "GI3001").Should().BeEmpty();
    }

    [Fact]
    public void Only_the_latest_window_counts()
    {
        var slowEarlier = Durations(1, buckets: SlowBuckets) with { Timestamp = Observe.Incident.AddHours(-1) };
        var fastNow = Durations(2, buckets: [(0.1, 900), (0.5, 990), (1, 1000), (2.5, 1000), (Inf, 1000)]) with { Timestamp = Observe.Incident };

        Gi3001(slowEarlier, fastNow).Should().BeEmpty();
    }

    [Fact]
    public void The_proxy_side_histogram_is_not_read_when_gunicorn_has_its_own()
    {
        var gunicorn = Durations(1, buckets: [(0.1, 900), (0.5, 990), (1, 1000), (2.5, 1000), (Inf, 1000)]);
        var nginx = Durations(2, metric: "nginx_request_duration_seconds", buckets: SlowBuckets);

        Gi3001(gunicorn, nginx).Should().BeEmpty();
    }
}
