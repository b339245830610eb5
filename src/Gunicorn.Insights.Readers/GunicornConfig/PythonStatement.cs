namespace Gunicorn.Insights.Readers.GunicornConfig;

/// <summary>One logical Python line: its text without comments, the line it starts on and its indentation.</summary>
/// <param name="Text">The statement, physical lines joined with line breaks, comments removed.</param>
/// <param name="Line">The 1-based line the statement starts on.</param>
/// <param name="Indent">The indentation of its first line, in characters (0 at module level).</param>
internal readonly record struct PythonStatement(string Text, long Line, int Indent);
