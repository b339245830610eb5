using System.Text.Json;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Cli.Tests;

public sealed class ObserveCommandTests
{
    private static readonly string Incident = CliRun.Example("incident-web-1");

    // Prometheus exposition: 50 requests ≤ 0.1 s, 40 more ≤ 0.5 s, 10 more ≤ 2.5 s.
    private const string Exposition = """
        # TYPE gunicorn_request_duration_seconds histogram
        gunicorn_request_duration_seconds_bucket{le="0.1"} 50
        gunicorn_request_duration_seconds_bucket{le="0.5"} 90
        gunicorn_request_duration_seconds_bucket{le="2.5"} 100
        gunicorn_request_duration_seconds_bucket{le="+Inf"} 100
        gunicorn_request_duration_seconds_sum 31.5
        gunicorn_request_duration_seconds_count 100

        """;

    [Fact]
    public void Percentiles_of_a_bucketed_histogram_follow_histogram_quantile()
    {
        using var scratch = new ScratchFolder();
        var metrics = scratch.Write("metrics.prom", Exposition);

        var run = CliRun.Of("observe", metrics, "--format", "json", "--quantiles", "0.5,0.9,0.95");

        var distribution = JsonDocument.Parse(run.Output).RootElement.GetProperty("distributions").EnumerateArray().Should().ContainSingle().Subject;
        distribution.GetProperty("count").GetDouble().Should().Be(100);
        var quantiles = distribution.GetProperty("quantiles").EnumerateArray()
            .Select(q => (q.GetProperty("quantile").GetDouble(), q.GetProperty("seconds").GetDouble())).ToArray();
        // Rank 50 ends the first bucket: 0.1. Rank 90 ends the second: 0.5. Rank 95 is halfway through (0.5, 2.5]: 1.5.
        quantiles.Should().Equal((0.5, 0.1), (0.9, 0.5), (0.95, 1.5));
    }

    [Fact]
    public void Text_lists_observations_by_file_and_the_default_percentiles_of_every_distribution()
    {
        var run = CliRun.Of("observe", Incident);

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("docs/examples/incident-web-1/error.log (gunicorn-error-log, 31 lines): ")
            .And.MatchRegex(@"docs/examples/incident-web-1/gunicorn\.conf\.py:5  ConfigParameter  .*workers = 2")
            .And.Contain("Request durations (P50, P90, P95, P99)")
            .And.MatchRegex(@"access\.log:1  gunicorn_access_log_request_duration_seconds  1,200 requests  P50 \S+ ms  P90 \S+ (ms|s)  P95 \S+ s  P99 29\.\d+ s");
    }

    [Fact]
    public void Json_distributions_match_the_library_percentiles_for_the_same_input()
    {
        var run = CliRun.Of("observe", Path.Combine(Incident, "access.log"), "--format", "json", "--quantiles", "0.5,0.99");

        var expected = BuiltInReaders.Create().Read([new ArtifactRequest(Path.Combine(CliRun.RepositoryRoot, Incident, "access.log"))])
            .Observations.OfType<RequestDurationHistogram>().First(h => h.Labels.Count == 0);
        var distribution = JsonDocument.Parse(run.Output).RootElement.GetProperty("distributions").EnumerateArray()
            .First(d => !d.GetProperty("labels").EnumerateObject().Any());
        var seconds = distribution.GetProperty("quantiles").EnumerateArray().Select(q => q.GetProperty("seconds").GetDouble()).ToArray();
        seconds.Should().Equal(expected.Percentile(0.5)!.Value.TotalSeconds, expected.Percentile(0.99)!.Value.TotalSeconds);
        distribution.GetProperty("count").GetDouble().Should().Be(1200);
    }

    [Fact]
    public void Json_observations_carry_type_location_and_values_with_units_in_their_names()
    {
        var run = CliRun.Of("observe", Incident, "--format", "json");

        var observations = JsonDocument.Parse(run.Output).RootElement.GetProperty("observations").EnumerateArray().ToArray();
        observations.Should().HaveCount(1258);
        var workers = observations.Single(o => o.GetProperty("source").GetString() == "docs/examples/incident-web-1/gunicorn.conf.py:5");
        workers.GetProperty("type").GetString().Should().Be("ConfigParameter");
        workers.GetProperty("line").GetInt32().Should().Be(5);
        workers.GetProperty("values").GetProperty("name").GetString().Should().Be("workers");
        var memory = observations.First(o => o.GetProperty("type").GetString() == "MemoryUsage");
        memory.GetProperty("values").GetProperty("totalBytes").GetInt64().Should().BeGreaterThan(1L << 30);
    }

    [Fact]
    public void Quantiles_outside_0_to_1_are_a_usage_error()
    {
        var run = CliRun.Of("observe", Incident, "--quantiles", "0.5,99");

        run.ExitCode.Should().Be(2);
        run.Error.Should().Be("gunicorn-insights: error: --quantiles takes numbers between 0 and 1 separated by commas (e.g. 0.5,0.99), not '99'" + Environment.NewLine);
    }
}
