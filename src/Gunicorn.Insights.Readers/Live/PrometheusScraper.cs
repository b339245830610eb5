using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Metrics;

namespace Gunicorn.Insights.Readers.Live;

/// <summary>
/// Scrapes a Prometheus <c>/metrics</c> endpoint and reads the exposition with <see cref="PrometheusExpositionReader"/>:
/// observations are located at the URL (credentials masked) and its lines, and timestamped with the scrape time.
/// A refused connection or a 5xx answer is retried with a doubling backoff; a request that takes longer than the
/// timeout is abandoned and not retried (a hung target would otherwise hold the caller for every retry). Every
/// problem, including a body over the size limit, is an <see cref="InputDiagnostic"/>; only the caller's own
/// cancellation throws.
/// </summary>
public sealed class PrometheusScraper : IDisposable
{
    private readonly HttpClient _client;
    private readonly bool _ownsClient;

    /// <summary>Creates a scraper with the default options and its own client (disposed with it).</summary>
    public PrometheusScraper()
        : this(new PrometheusScraperOptions())
    {
    }

    /// <summary>Creates a scraper with its own client (disposed with it).</summary>
    public PrometheusScraper(PrometheusScraperOptions options)
        : this(NewClient(new HttpClientHandler()), ownsClient: true, options ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    /// <summary>Creates a scraper using the host's <paramref name="client"/> (not disposed with it).</summary>
    public PrometheusScraper(HttpClient client, PrometheusScraperOptions options)
        : this(client ?? throw new ArgumentNullException(nameof(client)), ownsClient: false, options)
    {
    }

    /// <summary>Creates a scraper sending its requests through <paramref name="handler"/>.</summary>
    public PrometheusScraper(HttpMessageHandler handler, PrometheusScraperOptions options)
        : this(NewClient(handler ?? throw new ArgumentNullException(nameof(handler))), ownsClient: true, options)
    {
    }

    private PrometheusScraper(HttpClient client, bool ownsClient, PrometheusScraperOptions? options)
    {
        Options = options ?? new PrometheusScraperOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Options.Timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(Options.Retries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaximumBodyBytes);
        _client = client;
        _ownsClient = ownsClient;
    }

    /// <summary>The timeout, retries and limits.</summary>
    public PrometheusScraperOptions Options { get; }

    /// <summary>The name observations from <paramref name="url"/> carry as their source: the URL with credentials masked.</summary>
    public static string SourceName(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return SecretRedactor.Redact(url.OriginalString);
    }

    /// <summary>
    /// Scrapes <paramref name="url"/> once. The result holds the observations (empty when the scrape failed), one input
    /// summary and the problems.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ReadResult> ScrapeAsync(Uri url, string? instance = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var source = SourceName(url);
        var context = new ReadContext(source, instance);
        var scrapedAt = Options.Clock.GetUtcNow();
        var body = await FetchAsync(url, context, cancellationToken).ConfigureAwait(false);
        var observations = new List<Observation>();
        if (body is not null)
        {
            new PrometheusExpositionReader().Read(LineSource.FromBytes(source, body), context);
            // A scrape is a snapshot: every value in it was true when it was taken.
            observations.AddRange(context.Observations.Select(o => o with { Timestamp = scrapedAt }));
        }

        var summary = new InputSummary(source, ArtifactKind.PrometheusMetrics)
        {
            Bytes = body?.LongLength ?? 0,
            Lines = context.Lines,
            Observations = observations.Count,
            FirstTimestamp = body is null ? null : scrapedAt,
            LastTimestamp = body is null ? null : scrapedAt,
        };
        return new ReadResult(observations, [summary], context.Problems);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private async Task<byte[]?> FetchAsync(Uri url, ReadContext context, CancellationToken cancellationToken)
    {
        var delay = Options.Backoff;
        for (var attempt = 0; ; attempt++)
        {
            var (body, problem, retry) = await AttemptAsync(url, cancellationToken).ConfigureAwait(false);
            if (body is not null)
            {
                return body;
            }

            if (!retry || attempt >= Options.Retries)
            {
                var tries = attempt == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" (after {attempt + 1} attempts)");
                context.Report(0, InputDiagnosticSeverity.Error, $"scrape failed: {problem}{tries}");
                return null;
            }

            await Task.Delay(delay, Options.Clock, cancellationToken).ConfigureAwait(false);
            delay *= 2;
        }
    }

    private async Task<(byte[]? Body, string Problem, bool Retry)> AttemptAsync(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/openmetrics-text;version=1.0.0;q=0.9"));
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("text/plain;version=0.0.4;q=0.5"));
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                return (null, $"HTTP {status} {response.ReasonPhrase}", true);
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (null, $"HTTP {status} {response.ReasonPhrase}", false);
            }

            if (response.Content.Headers.ContentLength is { } length && length > Options.MaximumBodyBytes)
            {
                return (null, $"the body is {length} bytes, over the {Options.MaximumBodyBytes}-byte limit; not read", false);
            }

            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await ReadLimitedAsync(stream, timeout.Token).ConfigureAwait(false) is { } body
                    ? (body, "", false)
                    : (null, $"the body is over the {Options.MaximumBodyBytes}-byte limit; not read", false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"no complete answer within {Options.Timeout.TotalSeconds:0.###} s"), false);
        }
        catch (HttpRequestException e)
        {
            return (null, e.Message, true);
        }
        catch (IOException e)
        {
            return (null, e.Message, true);
        }
    }

    private async Task<byte[]?> ReadLimitedAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > Options.MaximumBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }
    }

    // The per-request timeout is ours; the client's own would end a scrape with an exception instead of a diagnostic.
    private static HttpClient NewClient(HttpMessageHandler handler) => new(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
}
