using Gunicorn.Insights.Cli.Inputs;
using Gunicorn.Insights.Cli.Terminal;

namespace Gunicorn.Insights.Cli.Commands;

/// <summary>Standard output, or the file <c>--output</c> names; colour only for a terminal.</summary>
internal sealed class ReportDestination : IDisposable
{
    private readonly StreamWriter? _file;

    private ReportDestination(TextWriter writer, StreamWriter? file, bool isTerminal)
    {
        Writer = writer;
        _file = file;
        IsTerminal = isTerminal;
    }

    public TextWriter Writer { get; }

    public bool IsTerminal { get; }

    public static ReportDestination Open(CliConsole console, string? path)
    {
        if (path is null)
        {
            return new ReportDestination(console.Output, null, console.OutputIsTerminal);
        }

        try
        {
            var file = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
            return new ReportDestination(file, file, false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new UsageException($"{path}: cannot write the report: {e.Message}");
        }
    }

    public Palette Palette(CliConsole console) => new(IsTerminal && console.ColourAllowed);

    public void Dispose()
    {
        Writer.Flush();
        _file?.Dispose();
    }
}
