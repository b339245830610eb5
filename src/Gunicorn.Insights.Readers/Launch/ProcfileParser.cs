using Gunicorn.Insights.Readers.GunicornConfig;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Launch;

/// <summary>A Procfile: <c>&lt;process type&gt;: &lt;command&gt;</c> per line, each command run by a shell.</summary>
internal sealed class ProcfileParser(ReadContext context, LaunchInterpreter interpreter) : ILaunchLineParser
{
    /// <inheritdoc />
    public void Line(string text, long number)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.StartsWith('#'))
        {
            return;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !IsProcessType(text.AsSpan(0, colon).Trim()))
        {
            context.Warn(number, $"'{SettingParsing.Shorten(trimmed)}' is not a Procfile line ('<process type>: <command>'); ignored");
            return;
        }

        var command = text[(colon + 1)..];
        interpreter.Shell(command, _ => number);
    }

    /// <inheritdoc />
    public void Finish()
    {
    }

    /// <summary>True for a process type name (<c>web</c>, <c>worker</c>, <c>release</c>): letters, digits, '_' and '-'.</summary>
    public static bool IsProcessType(ReadOnlySpan<char> name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
