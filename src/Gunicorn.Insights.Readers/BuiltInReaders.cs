using Gunicorn.Insights.Readers.GunicornLogs;

namespace Gunicorn.Insights.Readers;

/// <summary>The readers that ship with Gunicorn.Insights, ready to read a folder of incident artifacts.</summary>
public static class BuiltInReaders
{
    /// <summary>Every built-in reader.</summary>
    public static IReadOnlyList<IArtifactReader> All { get; } =
    [
        new GunicornErrorLogReader(),
    ];

    /// <summary>A batch reader with every built-in reader.</summary>
    public static ArtifactReaders Create() => new(All);
}
