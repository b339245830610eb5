namespace Gunicorn.Insights.Readers.Launch;

/// <summary>One word of a command with the line it was written on.</summary>
/// <param name="Text">The word after quote removal.</param>
/// <param name="Line">The 1-based line of the input.</param>
internal readonly record struct LaunchWord(string Text, long Line);
