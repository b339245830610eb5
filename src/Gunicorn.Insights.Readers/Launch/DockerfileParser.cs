using System.Text.Json;
using Gunicorn.Insights.Readers.GunicornConfig;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Launch;

/// <summary>
/// A Dockerfile: instructions continued with the escape character (<c>\</c>, or the one an <c># escape=</c> directive
/// names), comment lines inside continuations skipped, heredocs skipped. <c>ENV</c> (both forms) gives environment
/// variables. <c>CMD</c> and <c>ENTRYPOINT</c> in exec form (a JSON array; anything else is shell form, as Docker decides)
/// or shell form are combined as Docker runs them — for the final stage, inheriting from an earlier stage it is built
/// <c>FROM</c> — and the resulting command is read once the file ends.
/// </summary>
internal sealed class DockerfileParser(ReadContext context, LaunchInterpreter interpreter) : ILaunchLineParser
{
    private static readonly HashSet<string> Instructions = new(StringComparer.Ordinal)
    {
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG",
        "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    };

    private readonly JoinedLine _line = new();
    private readonly Dictionary<string, Stage> _stages = new(StringComparer.OrdinalIgnoreCase);
    private Stage _stage = new();
    private char _escape = '\\';
    private bool _directives = true;
    private string? _heredoc;

    /// <inheritdoc />
    public void Line(string text, long number)
    {
        if (_heredoc is not null)
        {
            if (text.Trim() == _heredoc)
            {
                _heredoc = null;
            }

            return;
        }

        var trimmed = text.Trim();
        if (_directives)
        {
            if (Directive(trimmed))
            {
                return;
            }

            _directives = false;
        }

        if (!_line.IsEmpty && (trimmed.Length == 0 || trimmed.StartsWith('#')))
        {
            // Docker drops comment and empty lines inside a continued instruction.
            return;
        }

        if (_line.IsEmpty && (trimmed.Length == 0 || trimmed.StartsWith('#')))
        {
            return;
        }

        var end = text.TrimEnd();
        var continued = end.Length > 0 && end[^1] == _escape && !_line.IsFull;
        _line.Append(continued ? end[..^1] : text, number, " ");
        if (!continued)
        {
            Complete();
        }
    }

    /// <inheritdoc />
    public void Finish()
    {
        if (!_line.IsEmpty)
        {
            context.Warn(_line.FirstLine, $"the instruction continued from line {_line.FirstLine} ends the file with a continuation; read as it is");
            Complete();
        }

        if (_heredoc is not null)
        {
            context.Warn(context.Lines, $"the heredoc ending with '{_heredoc}' is not closed by the end of the file");
        }

        Launch(_stage);
    }

    private bool Directive(string trimmed)
    {
        if (!trimmed.StartsWith('#'))
        {
            return false;
        }

        var body = trimmed[1..].Trim();
        var equals = body.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || body[..equals].Trim().Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        if (body[..equals].Trim().Equals("escape", StringComparison.OrdinalIgnoreCase))
        {
            var escape = body[(equals + 1)..].Trim();
            if (escape is "\\" or "`")
            {
                _escape = escape[0];
            }
        }

        return true;
    }

    private void Complete()
    {
        try
        {
            Instruction(_line.Text, _line.FirstLine);
        }
        finally
        {
            _line.Clear();
        }
    }

    private void Instruction(string text, long line)
    {
        var start = 0;
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        var end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        var keyword = text[start..end].ToUpperInvariant();
        var argumentsStart = end;
        while (argumentsStart < text.Length && char.IsWhiteSpace(text[argumentsStart]))
        {
            argumentsStart++;
        }

        var arguments = text[argumentsStart..].TrimEnd();
        if (!Instructions.Contains(keyword))
        {
            context.Warn(line, $"'{SettingParsing.Shorten(text[start..end])}' is not a Dockerfile instruction; the line is ignored");
            return;
        }

        if (keyword is "RUN" or "COPY" or "ADD")
        {
            Heredoc(arguments);
            return;
        }

        switch (keyword)
        {
            case "FROM":
                From(arguments);
                break;
            case "ENV":
                Environment(arguments, argumentsStart, line);
                break;
            case "CMD":
                _stage = _stage with { Cmd = ReadForm(arguments, argumentsStart, line), CmdInherited = false };
                break;
            case "ENTRYPOINT":
                // Setting ENTRYPOINT resets a CMD inherited from the base image.
                _stage = _stage with { Entrypoint = ReadForm(arguments, argumentsStart, line), Cmd = _stage.CmdInherited ? null : _stage.Cmd };
                break;
        }
    }

    private void From(string arguments)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (words.Length == 0)
        {
            return;
        }

        if (_stage.Name is { } finished && _stages.Count < 100)
        {
            _stages[finished] = _stage;
        }

        _stage = _stages.TryGetValue(words[0], out var earlier) ? earlier with { Name = null, CmdInherited = true } : new Stage();
        if (words.Length >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
        {
            // The stage is stored under its name when the next stage starts.
            _stage = _stage with { Name = words[2] };
        }
    }

    private void Heredoc(string arguments)
    {
        var at = arguments.IndexOf("<<", StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }

        var rest = arguments[(at + 2)..].TrimStart('-');
        var length = 0;
        while (length < rest.Length && !char.IsWhiteSpace(rest[length]))
        {
            length++;
        }

        var delimiter = rest[..length].Trim('"', '\'');
        if (delimiter.Length > 0 && LaunchInterpreter.IsVariableName(delimiter))
        {
            _heredoc = delimiter;
        }
    }

    private void Environment(string arguments, int argumentsStart, long line)
    {
        var words = ShellWords.Split(arguments, systemd: false, out _).Where(w => !w.IsOperator).ToList();
        if (words.Count == 0)
        {
            context.Warn(line, "ENV without a variable; ignored");
            return;
        }

        if (!words[0].Text.Contains('=', StringComparison.Ordinal))
        {
            // ENV NAME value with spaces: the legacy form, one variable, the rest of the line its value.
            var nameEnd = arguments.IndexOfAny([' ', '\t'], words[0].Offset);
            var value = nameEnd < 0 ? string.Empty : arguments[nameEnd..].Trim();
            if (value.Length == 0)
            {
                context.Warn(line, $"ENV {SettingParsing.Shorten(words[0].Text)} has no value; ignored");
                return;
            }

            interpreter.Environment(words[0].Text, Unquote(value), _line.LineAt(argumentsStart));
            return;
        }

        foreach (var word in words)
        {
            if (LaunchInterpreter.IsAssignment(word.Text))
            {
                var equals = word.Text.IndexOf('=', StringComparison.Ordinal);
                interpreter.Environment(word.Text[..equals], word.Text[(equals + 1)..], _line.LineAt(argumentsStart + word.Offset));
            }
            else
            {
                context.Warn(line, $"'{SettingParsing.Shorten(word.Text)}' in ENV is not NAME=value; ignored");
            }
        }
    }

    private Form? ReadForm(string arguments, int argumentsStart, long line)
    {
        if (arguments.Length == 0)
        {
            return null;
        }

        if (arguments.StartsWith('[') && TryExecForm(arguments, out var items))
        {
            return new Form(items.Select(i => new LaunchWord(i, line)).ToList(), Shell: null, _ => line);
        }

        return new Form([], arguments, _line.Snapshot(argumentsStart));
    }

    private static bool TryExecForm(string text, out List<string> items)
    {
        items = [];
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                items.Add(element.GetString() ?? string.Empty);
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void Launch(Stage stage)
    {
        if (stage.Entrypoint is { } entrypoint)
        {
            if (entrypoint.Shell is { } shell)
            {
                // A shell-form ENTRYPOINT ignores CMD.
                interpreter.Shell(shell, entrypoint.LineAt);
                return;
            }

            var words = new List<LaunchWord>(entrypoint.Words);
            if (stage.Cmd is { } arguments)
            {
                if (arguments.Shell is { } cmdShell)
                {
                    var line = arguments.LineAt(0);
                    words.Add(new LaunchWord("/bin/sh", line));
                    words.Add(new LaunchWord("-c", line));
                    words.Add(new LaunchWord(cmdShell, line));
                }
                else
                {
                    words.AddRange(arguments.Words);
                }
            }

            interpreter.Command(words);
            return;
        }

        if (stage.Cmd is { } cmd)
        {
            if (cmd.Shell is { } text)
            {
                interpreter.Shell(text, cmd.LineAt);
            }
            else
            {
                interpreter.Command(cmd.Words);
            }
        }
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0] ? value[1..^1] : value;

    /// <summary>A CMD or ENTRYPOINT: exec-form words, or shell-form text, with the line of each offset of the text.</summary>
    private sealed record Form(IReadOnlyList<LaunchWord> Words, string? Shell, Func<int, long> LineAt);

    /// <summary>A build stage's command settings.</summary>
    private sealed record Stage
    {
        public string? Name { get; init; }

        public Form? Entrypoint { get; init; }

        public Form? Cmd { get; init; }

        public bool CmdInherited { get; init; }
    }
}
