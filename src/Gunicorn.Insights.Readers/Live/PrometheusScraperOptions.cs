namespace Gunicorn.Insights.Readers.Live;

/// <summary>How a <see cref="PrometheusScraper"/> treats a slow, failing or oversized target.</summary>
public sealed class PrometheusScraperOptions
{
    /// <summary>How long one request may take, body included, before it is abandoned. Ten seconds by default, Prometheus' own default.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times a refused connection or a 5xx answer is retried. Two by default.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>The wait before the first retry; each further retry waits twice as long. Half a second by default.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The largest body read; a larger one is reported and not parsed. 16 MiB by default.</summary>
    public long MaximumBodyBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>The clock the scrape time is taken from.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
