namespace Gunicorn.Insights.Cli.Terminal;

/// <summary>
/// Where the tool writes and what it writes to: a terminal gets colour and a progress display, a pipe or a file gets
/// plain text only.
/// </summary>
internal sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, bool outputIsTerminal, bool errorIsTerminal, bool colourAllowed, string workingDirectory)
    {
        Output = output;
        Error = error;
        OutputIsTerminal = outputIsTerminal;
        ErrorIsTerminal = errorIsTerminal;
        ColourAllowed = colourAllowed;
        WorkingDirectory = workingDirectory;
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public bool OutputIsTerminal { get; }

    public bool ErrorIsTerminal { get; }

    /// <summary>False under <c>NO_COLOR</c> or <c>TERM=dumb</c> (https://no-color.org).</summary>
    public bool ColourAllowed { get; }

    /// <summary>Paths under it are shown relative to it.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The process's own console.</summary>
    public static CliConsole System()
    {
        var colour = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        var output = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false)) { AutoFlush = false };
        return new CliConsole(output, Console.Error, !Console.IsOutputRedirected, !Console.IsErrorRedirected, colour,
            Environment.CurrentDirectory);
    }

    /// <summary>A path as the user would type it: relative to the working directory when it lies under it.</summary>
    public string Display(string path)
    {
        if (!Path.IsPathRooted(path))
        {
            return path;
        }

        var relative = Path.GetRelativePath(WorkingDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}
