namespace Gunicorn.Insights.Readers;

/// <summary>One input to read: a file or a folder (read recursively), optionally with its kind and instance stated.</summary>
/// <param name="Path">The file or folder.</param>
public sealed record ArtifactRequest(string Path)
{
    /// <summary>The kind to read it as, instead of detecting it.</summary>
    public ArtifactKind? Kind { get; init; }

    /// <summary>The instance (host, pod) its observations describe.</summary>
    public string? Instance { get; init; }
}
