using System.Globalization;

namespace Gunicorn.Insights.Observations.Requests;

/// <summary>
/// The requests an access log (Gunicorn's, nginx's, a platform router's) shows for one path or for all: how many, which
/// statuses, over what time. Health-check traffic shows up as a path of its own.
/// </summary>
public sealed record TrafficSummary : Observation
{
    /// <summary>Creates a summary read at <paramref name="source"/>.</summary>
    public TrafficSummary(long requests, IReadOnlyDictionary<int, long> statusCounts, SourceLocation source)
        : base(source)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        ArgumentNullException.ThrowIfNull(statusCounts);
        Requests = requests;
        StatusCounts = statusCounts;
    }

    /// <summary>The path (without query), or null for all requests.</summary>
    public string? Path { get; init; }

    /// <summary>Who logged the requests: <c>gunicorn</c> (its access log), <c>statsd</c> (Gunicorn's StatsD counters), <c>nginx</c>, <c>heroku-router</c>, …</summary>
    public string Logger { get; init; } = "gunicorn";

    /// <summary>
    /// True when something in front of Gunicorn (a proxy, a platform router) counted the requests, false when Gunicorn
    /// itself did (its access log or its StatsD metrics): only a front end sees requests Gunicorn never answered.
    /// </summary>
    public bool IsFrontEnd => !Logger.Equals("gunicorn", StringComparison.OrdinalIgnoreCase) && !Logger.Equals("statsd", StringComparison.OrdinalIgnoreCase);

    /// <summary>The number of requests.</summary>
    public long Requests { get; init; }

    /// <summary>Requests per HTTP status.</summary>
    public IReadOnlyDictionary<int, long> StatusCounts { get; init; }

    /// <summary>The first request's time, when known.</summary>
    public DateTimeOffset? FirstSeen { get; init; }

    /// <summary>The last request's time, when known.</summary>
    public DateTimeOffset? LastSeen { get; init; }

    /// <summary>Requests per interval, when known.</summary>
    public CountTimeline? Timeline { get; init; }

    /// <summary>Requests answered with a 5xx status.</summary>
    public long ServerErrors => StatusCounts.Where(s => s.Key is >= 500 and <= 599).Sum(s => s.Value);

    /// <summary>Requests answered with <paramref name="status"/>.</summary>
    public long WithStatus(int status) => StatusCounts.GetValueOrDefault(status);

    /// <summary>The time between the first and the last request.</summary>
    public TimeSpan? Span => FirstSeen is { } first && LastSeen is { } last ? last - first : null;

    /// <summary>The average request rate over <see cref="Span"/>, when it is known and not zero.</summary>
    public double? RequestsPerSecond => Span is { TotalSeconds: > 0 } span ? Requests / span.TotalSeconds : null;

    /// <inheritdoc />
    public override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{Requests} requests{(Path is null ? "" : $" to {Path}")} in the {Logger} log, {ServerErrors} with 5xx")
        + (Span is { } span ? string.Create(CultureInfo.InvariantCulture, $" over {span.TotalSeconds:0.#} s") : "");
}
