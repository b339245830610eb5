using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Readers.Live;

namespace Gunicorn.Insights.Readers.Tests.Live;

public sealed class PrometheusScraperTests
{
    private const string Exposition = """
        # HELP gunicorn_workers Number of Gunicorn workers.
        # TYPE gunicorn_workers gauge
        gunicorn_workers 9.0
        # TYPE http_request_duration_seconds histogram
        http_request_duration_seconds_bucket{le="0.1"} 40
        http_request_duration_seconds_bucket{le="1"} 90
        http_request_duration_seconds_bucket{le="+Inf"} 100
        http_request_duration_seconds_count 100
        http_request_duration_seconds_sum 61.5

        """;

    private static PrometheusScraperOptions Fast(TimeSpan? timeout = null) => new()
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
        Backoff = TimeSpan.FromMilliseconds(20),
    };

    [Fact]
    public async Task A_scrape_reads_the_exposition_located_at_the_url_and_timestamped_with_the_scrape_time()
    {
        await using var endpoint = new MetricsEndpoint(MetricsEndpoint.Ok(Exposition));
        using var scraper = new PrometheusScraper(options: Fast());
        var before = DateTimeOffset.UtcNow;

        var result = await scraper.ScrapeAsync(endpoint.Url, instance: "web-1");

        result.Problems.Should().BeEmpty();
        var workers = result.Observations.OfType<Gauge>().Should().ContainSingle(g => g.Name == "gunicorn_workers").Subject;
        workers.Value.Should().Be(9);
        workers.Source.ToString().Should().Be($"{endpoint.Url}:3");
        workers.Instance.Should().Be("web-1");
        var histogram = result.Observations.OfType<RequestDurationHistogram>().Should().ContainSingle().Subject;
        histogram.Count.Should().Be(100);
        result.Observations.Should().OnlyContain(o => o.Timestamp >= before && o.Timestamp <= DateTimeOffset.UtcNow);
        result.Inputs.Should().ContainSingle().Which.Kind.Should().Be(ArtifactKind.PrometheusMetrics);
    }

    [Fact]
    public async Task A_500_is_retried_and_the_next_answer_is_read()
    {
        await using var endpoint = new MetricsEndpoint(MetricsEndpoint.Status(500), MetricsEndpoint.Ok(Exposition));
        using var scraper = new PrometheusScraper(options: Fast());

        var result = await scraper.ScrapeAsync(endpoint.Url);

        endpoint.Requests.Should().Be(2);
        result.Problems.Should().BeEmpty();
        result.Observations.OfType<Gauge>().Should().Contain(g => g.Name == "gunicorn_workers" && g.Value == 9);
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_failure_is_a_diagnostic()
    {
        await using var endpoint = new MetricsEndpoint(MetricsEndpoint.Status(503));
        using var scraper = new PrometheusScraper(options: Fast());

        var result = await scraper.ScrapeAsync(endpoint.Url);

        endpoint.Requests.Should().Be(3, "one attempt and two retries");
        result.Observations.Should().BeEmpty();
        result.Problems.Should().ContainSingle().Which.ToString().Should()
            .Be($"{endpoint.Url}: error: scrape failed: HTTP 503 Error (after 3 attempts)");
    }

    [Fact]
    public async Task A_404_is_not_retried()
    {
        await using var endpoint = new MetricsEndpoint(MetricsEndpoint.Status(404));
        using var scraper = new PrometheusScraper(options: Fast());

        var result = await scraper.ScrapeAsync(endpoint.Url);

        endpoint.Requests.Should().Be(1);
        result.Problems.Should().ContainSingle().Which.Message.Should().Be("scrape failed: HTTP 404 Error");
    }

    [Fact]
    public async Task A_hung_target_times_out_into_a_diagnostic()
    {
        await using var endpoint = new MetricsEndpoint(MetricsEndpoint.Hang());
        using var scraper = new PrometheusScraper(options: Fast(TimeSpan.FromMilliseconds(300)));

        var result = await scraper.ScrapeAsync(endpoint.Url);

        endpoint.Requests.Should().Be(1, "a timeout is not retried");
        result.Observations.Should().BeEmpty();
        result.Problems.Should().ContainSingle().Which.Message.Should().Be("scrape failed: no complete answer within 0.3 s");
    }

    [Fact]
    public async Task A_refused_connection_is_retried_then_reported()
    {
        var url = await ClosedPortUrl();
        using var scraper = new PrometheusScraper(options: Fast());

        var result = await scraper.ScrapeAsync(url);

        result.Problems.Should().ContainSingle().Which.Message.Should().StartWith("scrape failed: ").And.EndWith("(after 3 attempts)");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_reported_and_not_parsed()
    {
        await using var endpoint = new MetricsEndpoint(MetricsEndpoint.Ok(Exposition));
        using var scraper = new PrometheusScraper(options: new PrometheusScraperOptions { MaximumBodyBytes = 64 });

        var result = await scraper.ScrapeAsync(endpoint.Url);

        result.Observations.Should().BeEmpty();
        result.Problems.Should().ContainSingle().Which.Message.Should()
            .Be($"scrape failed: the body is {System.Text.Encoding.UTF8.GetByteCount(Exposition)} bytes, over the 64-byte limit; not read");
    }

    [Fact]
    public void Credentials_in_the_url_never_reach_the_source_name() =>
        PrometheusScraper.SourceName(new Uri("http://scraper:s3cret@web-1:9100/metrics")).Should().Be("http://***@web-1:9100/metrics");

    [Fact]
    public async Task The_callers_cancellation_throws()
    {
        await using var endpoint = new MetricsEndpoint(MetricsEndpoint.Hang());
        using var scraper = new PrometheusScraper(options: Fast());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var scrape = () => scraper.ScrapeAsync(endpoint.Url, cancellationToken: cancel.Token);

        await scrape.Should().ThrowAsync<OperationCanceledException>();
    }

    private static async Task<Uri> ClosedPortUrl()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await Task.Yield();
        return new Uri($"http://127.0.0.1:{port}/metrics");
    }
}
