using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Testing;

/// <summary>An artifact given as text, as if it were a file of that name.</summary>
/// <param name="Name">The file name evidence locations use, e.g. <c>error.log</c> (evidence reads <c>error.log:17</c>).</param>
/// <param name="Text">The content.</param>
public sealed record ArtifactSnippet(string Name, string Text)
{
    /// <summary>The kind to read it as; detected from the name and first lines when null, as the readers detect files.</summary>
    public ArtifactKind? Kind { get; init; }

    /// <summary>The instance (host, pod) its observations describe.</summary>
    public string? Instance { get; init; }
}
