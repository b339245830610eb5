using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Metrics;

namespace Gunicorn.Insights.Rules.Tests.Latency;

public sealed class RequestDurationRiseRuleTests
{
    private const double Inf = double.PositiveInfinity;

    /// <summary>1000 requests: P50 = 0.1 + 0.15 × 200/400 = 175 ms, P95 = 0.5 s (rank 950 is the 0.5 s bucket's count).</summary>
    private static readonly (double, double)[] Baseline = [(0.1, 300), (0.25, 700), (0.5, 950), (1, 990), (2.5, 1000), (Inf, 1000)];

    /// <summary>1200 requests: P50 = 0.5 s (rank 600), P95 = 2.5 s (rank 1140).</summary>
    private static readonly (double, double)[] Degraded = [(0.1, 100), (0.25, 300), (0.5, 600), (1, 900), (2.5, 1140), (5, 1200), (Inf, 1200)];

    private static RequestDurationHistogram Window(DateTimeOffset end, int line, (double, double)[] buckets, string? path = null) =>
        RequestDurationHistogram.FromUpperBoundsInSeconds("gunicorn_request_duration_seconds", buckets, new SourceLocation("metrics/web-1.prom", line)) with
        {
            Timestamp = end,
            Window = TimeSpan.FromMinutes(10),
            Labels = path is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["path"] = path },
        };

    private static IEnumerable<Diagnosis> Gi3002(params object[] facts) =>
        BuiltInRules.Analyze(facts).Diagnoses.Where(d => d.Id == "GI3002");

    [Fact]
    public void A_p95_five_times_the_earlier_windows_fires_with_both_windows_values()
    {
        var diagnosis = Gi3002(Window(Observe.Incident.AddHours(-1), 3, Baseline), Window(Observe.Incident, 40, Degraded)).Should().ContainSingle().Subject;

        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be("Request duration (gunicorn_request_duration_seconds) rose against its baseline: "
            + "P95 500 ms → 2.5 s, P50 175 ms → 500 ms (up to 5× the baseline), "
            + "from the 10 min ending 2026-11-23 22:45 +00:00 (1000 requests) to the 10 min ending 2026-11-23 23:45 +00:00 (1200 requests)");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("metrics/web-1.prom:3", "metrics/web-1.prom:40");
    }

    [Fact]
    public void Per_path_series_are_compared_path_by_path_and_other_rising_paths_are_listed()
    {
        var diagnosis = Gi3002(
            Window(Observe.Incident.AddHours(-1), 3, Baseline, "/search"),
            Window(Observe.Incident, 40, Degraded, "/search"),
            Window(Observe.Incident.AddHours(-1), 5, Baseline, "/cart"),
            Window(Observe.Incident, 42, [(0.1, 300), (0.25, 600), (0.5, 800), (1, 920), (2.5, 1000), (Inf, 1000)], "/cart"),
            Window(Observe.Incident.AddHours(-1), 7, Baseline, "/health"),
            Window(Observe.Incident, 44, Baseline, "/health")).Should().ContainSingle().Subject;

        // /cart: P95 rank 950 in the 1–2.5 s bucket: 1 + 1.5 × 30/80 = 1.5625 s.
        diagnosis.Message.Should().Be("Request duration of /search (gunicorn_request_duration_seconds) rose against its baseline: "
            + "P95 500 ms → 2.5 s, P50 175 ms → 500 ms (up to 5× the baseline), "
            + "from the 10 min ending 2026-11-23 22:45 +00:00 (1000 requests) to the 10 min ending 2026-11-23 23:45 +00:00 (1200 requests); "
            + "also rose: /cart (P95 500 ms → 1.563 s)");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("metrics/web-1.prom:3", "metrics/web-1.prom:40", "metrics/web-1.prom:42");
    }

    [Fact]
    public void A_single_window_has_no_baseline_and_stays_silent()
    {
        var session = BuiltInRules.Analyze(Window(Observe.Incident, 40, Degraded));

        session.Diagnoses.Where(d => d.Id == "GI3002" || d.Message.StartsWith("GI3002", StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Fact]
    public void A_rise_below_the_factor_stays_silent()
    {
        // P95 0.5 s → 0.5 + 0.5 × 10/50 = 0.6 s (1.2×).
        Gi3002(
            Window(Observe.Incident.AddHours(-1), 3, Baseline),
            Window(Observe.Incident, 40, [(0.1, 300), (0.25, 700), (0.5, 940), (1, 990), (2.5, 1000), (Inf, 1000)])).Should().BeEmpty();
    }

    [Fact]
    public void A_large_factor_on_tiny_durations_is_not_a_degradation()
    {
        // P95 10 ms → 46 ms: 4.6 times, but only 36 ms slower, under the 100 ms minimum increase.
        Gi3002(
            Window(Observe.Incident.AddHours(-1), 3, [(0.005, 500), (0.01, 950), (0.05, 1000), (Inf, 1000)]),
            Window(Observe.Incident, 40, [(0.005, 100), (0.01, 500), (0.05, 1000), (Inf, 1000)])).Should().BeEmpty();
    }
}
