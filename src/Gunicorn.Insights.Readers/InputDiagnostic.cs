using Gunicorn.Insights.Observations;

namespace Gunicorn.Insights.Readers;

/// <summary>A problem with an input, naming the file and line; the rest of the input is still read.</summary>
/// <param name="Location">The file and line.</param>
/// <param name="Severity">Warning (skipped a part) or error (could not read).</param>
/// <param name="Message">What is wrong and, where it helps, what to do.</param>
public sealed record InputDiagnostic(SourceLocation Location, InputDiagnosticSeverity Severity, string Message)
{
    /// <summary>Formats as <c>file:line: warning: message</c>.</summary>
    public override string ToString() => $"{Location}: {Severity.ToString().ToLowerInvariant()}: {Message}";
}
