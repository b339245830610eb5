namespace Gunicorn.Insights.Observations;

/// <summary>
/// An immutable fact about a deployment, as a reader or a host app saw it. Every observation says where it came
/// from, and where it has them, when it was true and which instance (host, pod) it describes.
/// </summary>
public abstract record Observation
{
    /// <summary>Creates an observation read from <paramref name="source"/>.</summary>
    protected Observation(SourceLocation source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
    }

    /// <summary>Where the observation was read.</summary>
    public SourceLocation Source { get; init; }

    /// <summary>When the observation was true (a log line's time, a sample's time), if known.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The host, pod or container the observation describes; <see langword="null"/> for a single-instance input.</summary>
    public string? Instance { get; init; }

    /// <summary>A one-line description of the observed value, used as evidence text in diagnoses.</summary>
    public abstract string Describe();
}
