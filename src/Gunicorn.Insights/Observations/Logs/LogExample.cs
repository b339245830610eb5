namespace Gunicorn.Insights.Observations.Logs;

/// <summary>One example line of a signature, with where it was found.</summary>
/// <param name="Location">The file and line.</param>
/// <param name="Text">The line as written (shortened when very long).</param>
public sealed record LogExample(SourceLocation Location, string Text)
{
    /// <inheritdoc />
    public override string ToString() => $"{Location}: {Text}";
}
