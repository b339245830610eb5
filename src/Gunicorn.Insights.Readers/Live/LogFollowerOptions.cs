using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Readers.Live;

/// <summary>What a <see cref="LogFollower"/> reads and how much at a time.</summary>
public sealed class LogFollowerOptions
{
    /// <summary>The kind to read the file as; null to detect it from its name and first lines once it has some.</summary>
    public ArtifactKind? Kind { get; init; }

    /// <summary>The instance (host, pod) the log describes.</summary>
    public string? Instance { get; init; }

    /// <summary>Configuration the log was written with, e.g. the <c>access_log_format</c> of an access log.</summary>
    public IReadOnlyList<ConfigParameter> KnownParameters { get; init; } = [];

    /// <summary>True to skip what the file holds when following starts and read only what is appended after.</summary>
    public bool StartAtEnd { get; init; }

    /// <summary>The most bytes read by one poll; the rest waits for the next, so a huge backlog cannot exhaust memory. 8 MiB by default.</summary>
    public int MaximumBytesPerPoll { get; init; } = 8 * 1024 * 1024;

    /// <summary>The readers to detect and read with; the built-in ones by default.</summary>
    public IReadOnlyList<IArtifactReader> Readers { get; init; } = BuiltInReaders.All;
}
