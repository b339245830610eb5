using Gunicorn.Insights.Cli;
using Gunicorn.Insights.Cli.Terminal;

namespace Gunicorn.Insights.Cli.Tests;

/// <summary>Runs the command line in-process, as from the repository root with output redirected.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Example(string name) => Path.Combine("docs", "examples", name);

    public static CliRun Of(params string[] args) => In(RepositoryRoot, args);

    public static CliRun In(string workingDirectory, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error, outputIsTerminal: false, errorIsTerminal: false, colourAllowed: true, workingDirectory);
        int code;
        lock (CurrentDirectory)
        {
            // Read under the lock: a run on another thread may have the directory set to its own, temporary one.
            var previous = Environment.CurrentDirectory;
            // Relative paths on the command line resolve against the process's directory, as they would in a shell.
            Environment.CurrentDirectory = workingDirectory;
            try
            {
                code = CliApplication.Run(args, console);
            }
            finally
            {
                Environment.CurrentDirectory = previous;
            }
        }

        return new CliRun(code, output.ToString(), error.ToString());
    }

    private static readonly object CurrentDirectory = new();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gunicorn.Insights.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Gunicorn.Insights.sln) is not above the test's folder.");
    }
}
