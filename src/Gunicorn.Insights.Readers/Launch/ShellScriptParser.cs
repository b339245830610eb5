using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Launch;

/// <summary>
/// Shell-like text: a command on a line (a saved <c>cmdline</c>, <c>ps</c> args), an entrypoint or start script, an env
/// file (<c>.env</c>, <c>/etc/default/gunicorn</c>, <c>KEY=value</c> and <c>export KEY=value</c>). Lines continue after a
/// trailing backslash or inside an open quote.
/// </summary>
internal sealed class ShellScriptParser(ReadContext context, LaunchInterpreter interpreter) : ILaunchLineParser
{
    private readonly JoinedLine _line = new();
    private char _quote;

    /// <inheritdoc />
    public void Line(string text, long number)
    {
        if (_line.IsEmpty && (text.Length == 0 || text.AsSpan().TrimStart().StartsWith("#", StringComparison.Ordinal)))
        {
            return;
        }

        _line.Append(text, number, "\n");
        _quote = Scan(text, _quote, out var continued);
        var open = _quote != '\0' || continued;
        if (open && !_line.IsFull)
        {
            return;
        }

        if (open)
        {
            context.Warn(_line.FirstLine, $"a quote or continuation opened on line {_line.FirstLine} is still open after {JoinedLine.MaximumLines} lines "
                + $"or {JoinedLine.MaximumLength} characters; read as far as it goes");
        }

        Complete(_line.Text);
    }

    /// <summary>The quote still open after <paramref name="line"/>, starting inside <paramref name="quote"/>; whether it ends with an escaping backslash.</summary>
    private static char Scan(string line, char quote, out bool continued)
    {
        continued = false;
        var wordStart = true;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote == '\'')
            {
                quote = c == '\'' ? '\0' : quote;
                continue;
            }

            if (c == '\\')
            {
                if (i == line.Length - 1)
                {
                    continued = true;
                }

                i++;
                wordStart = false;
                continue;
            }

            if (quote == '"')
            {
                quote = c == '"' ? '\0' : quote;
                continue;
            }

            if (c == '#' && wordStart)
            {
                break;
            }

            if (c is '\'' or '"')
            {
                quote = c;
            }

            wordStart = c is ' ' or '\t' or ';' or '&' or '|' or '(';
        }

        return quote;
    }

    /// <inheritdoc />
    public void Finish()
    {
        if (_line.IsEmpty)
        {
            return;
        }

        context.Warn(_line.FirstLine, $"a quote or continuation opened on line {_line.FirstLine} is not closed by the end of the input; read as far as it goes");
        Complete(_line.Text);
    }

    private void Complete(string text)
    {
        interpreter.Shell(text, _line.LineAt);
        _line.Clear();
        _quote = '\0';
    }
}
