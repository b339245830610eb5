namespace Gunicorn.Insights.Readers;

/// <summary>How bad an input problem is.</summary>
public enum InputDiagnosticSeverity
{
    /// <summary>Part of the input was skipped or approximated; the rest was read.</summary>
    Warning,

    /// <summary>The input (or a part of it) could not be read at all.</summary>
    Error,
}
