namespace Gunicorn.Insights.Readers;

/// <summary>What one kind of artifact is, how to name it on a command line, and which observations it yields.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Name">Its name on a command line and in reports (<c>gunicorn-error-log</c>).</param>
/// <param name="Title">What a person calls it (<c>Gunicorn error log</c>).</param>
/// <param name="HowToCapture">Where to get one: the file or the command that writes it.</param>
/// <param name="Yields">The observation types its reader produces.</param>
public sealed record ArtifactKindInfo(ArtifactKind Kind, string Name, string Title, string HowToCapture, IReadOnlyList<Type> Yields)
{
    /// <summary>Other names accepted on a command line (<c>error-log</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}
