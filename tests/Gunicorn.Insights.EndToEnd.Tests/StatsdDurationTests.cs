using System.Globalization;
using Gunicorn.Insights.EndToEnd.Tests.Scenarios;
using Gunicorn.Insights.EndToEnd.Tests.Servers;
using Gunicorn.Insights.EndToEnd.Tests.Traffic;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Readers;
using Gunicorn.Insights.Readers.Accumulation;
using Gunicorn.Insights.Readers.AccessLogs;
using Gunicorn.Insights.Readers.Metrics;
using Xunit.Abstractions;

namespace Gunicorn.Insights.EndToEnd.Tests;

/// <summary>Scenario 6: Gunicorn sending its StatsD metrics to a UDP port the test listens on.</summary>
public sealed class StatsdDurationTests(ITestOutputHelper output)
{
    /// <summary>The histograms' documented relative error: bucket bounds 2 % apart.</summary>
    private const double RelativeError = DurationDistributionAccumulator.Growth - 1;

    [Fact]
    public async Task The_real_statsd_timer_gives_the_percentiles_of_the_access_log_within_the_histograms_error_bound()
    {
        using var scenario = new ScenarioFolder(output, "statsd");
        using var statsd = StatsdListener.Start(scenario);
        using var gunicorn = await GunicornServer.StartAsync(scenario, new GunicornSettings { Workers = 2, StatsdHost = statsd.HostAndPort });
        var load = new LoadDriver(gunicorn.Address);

        // Durations spread from 10 ms to 200 ms, so that the percentiles fall into different buckets.
        var requests = Enumerable.Range(1, 60).Select(i => string.Create(CultureInfo.InvariantCulture, $"/slow?s={0.01 + (i % 20 * 0.01):0.00}&id={i}")).ToArray();
        var results = await load.RunAsync(requests, clients: 4, TimeSpan.FromSeconds(10));
        await gunicorn.StopAsync();
        await statsd.StopAsync(TimeSpan.FromMilliseconds(300));

        var analysis = ScenarioAnalysis.Of([.. gunicorn.Artifacts, statsd.Capture]);
        // %(L)s is seconds with six decimals; the StatsD timer is milliseconds: both are the same measurement.
        var logged = gunicorn.ReadAccessLog().Select(l => double.Parse(l[(l.LastIndexOf(" rt=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture)).Order().ToArray();
        var timed = File.ReadAllLines(statsd.Capture).Where(l => l.Contains(" gunicorn.request.duration:", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.IndexOf(':', l.IndexOf(' ', StringComparison.Ordinal)) + 1)..l.IndexOf('|', StringComparison.Ordinal)], CultureInfo.InvariantCulture) / 1000)
            .Order().ToArray();
        scenario.Verify(analysis, () =>
        {
            results.Should().HaveCount(60).And.OnlyContain(r => r.Status == 200);
            analysis.Read.Inputs.Should().Contain(i => i.Path == statsd.Capture && i.Kind == ArtifactKind.StatsdLines);
            analysis.Read.Problems.Should().BeEmpty();
            timed.Should().HaveCount(logged.Length, "Gunicorn sends one timer per request it logs");
            timed.Zip(logged).Should().OnlyContain(p => Math.Abs(p.First - p.Second) < 2e-6, "each timer is the logged request time in milliseconds");

            var histograms = analysis.Read.Observations.OfType<RequestDurationHistogram>().Where(h => !h.Labels.ContainsKey("path")).ToList();
            var fromStatsd = histograms.Should().ContainSingle(h => h.MetricName == StatsdLinesReader.DurationMetricName).Subject;
            var fromAccessLog = histograms.Should().ContainSingle(h => h.MetricName == GunicornAccessLogReader.DurationMetricName).Subject;
            fromStatsd.Count.Should().Be(logged.Length);
            fromAccessLog.Count.Should().Be(logged.Length);
            foreach (var q in new[] { 0.5, 0.9, 0.95, 0.99 })
            {
                // The request at rank ⌈q·n⌉ lies in the bucket the percentile is interpolated in, at most 2 % away.
                var exact = logged[(int)Math.Ceiling(q * logged.Length) - 1];
                var statsdValue = fromStatsd.Percentile(q)!.Value.TotalSeconds;
                var accessLogValue = fromAccessLog.Percentile(q)!.Value.TotalSeconds;
                output.WriteLine($"P{q * 100}: exact {exact:0.000000} s, StatsD {statsdValue:0.000000} s, access log {accessLogValue:0.000000} s");
                statsdValue.Should().BeApproximately(exact, exact * RelativeError);
                accessLogValue.Should().BeApproximately(exact, exact * RelativeError);
                statsdValue.Should().BeApproximately(accessLogValue, accessLogValue * RelativeError);
            }
        });
    }
}
