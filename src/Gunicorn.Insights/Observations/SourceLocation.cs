namespace Gunicorn.Insights.Observations;

/// <summary>
/// Where an observation came from: a file and line read by a reader, or the name a host app gives its own source
/// (for example <c>prometheus:http://web-1:9100/metrics</c>).
/// </summary>
/// <param name="Source">The file path or source name.</param>
/// <param name="Line">The 1-based line number, when the source has lines.</param>
public sealed record SourceLocation(string Source, int? Line = null)
{
    /// <summary>A location for facts a host app supplies without a file behind them.</summary>
    public static SourceLocation Host(string sourceName) => new(sourceName);

    /// <summary>Formats as <c>file:line</c>, or the bare source when there is no line.</summary>
    public override string ToString() => Line is { } line ? $"{Source}:{line}" : Source;
}
