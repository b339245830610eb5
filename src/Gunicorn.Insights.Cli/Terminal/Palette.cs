using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Cli.Terminal;

/// <summary>ANSI colours for a terminal, or none: the same report reads the same in a pipe, only plainer.</summary>
internal sealed class Palette(bool enabled)
{
    public static Palette Plain { get; } = new(false);

    public string Bold(string text) => Wrap("1", text);

    public string Dim(string text) => Wrap("2", text);

    public string Green(string text) => Wrap("32", text);

    public string Red(string text) => Wrap("31", text);

    public string Severity(Severity severity, string text) => severity switch
    {
        Diagnostics.Severity.Critical => Wrap("1;31", text),
        Diagnostics.Severity.Warning => Wrap("33", text),
        _ => Wrap("36", text),
    };

    private string Wrap(string code, string text) => enabled ? $"\e[{code}m{text}\e[0m" : text;
}
