using System.Globalization;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.GunicornConfig;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Launch;

/// <summary>
/// A systemd unit (<c>.service</c>, <c>.socket</c>): sections, <c>KEY=VALUE</c> lines, continuations with a trailing
/// backslash (comment lines inside are skipped, as systemd does). <c>[Service]</c> and <c>[Socket]</c> keys become
/// <see cref="ConfigurationScope.Systemd"/> parameters (times as durations, numbers as integers, <c>Listen*=</c> as lists);
/// <c>ExecStart=</c> is read as a command, <c>Environment=</c> as environment variables, <c>EnvironmentFile=</c> is noted.
/// </summary>
internal sealed class SystemdUnitParser(ReadContext context, LaunchInterpreter interpreter) : ILaunchLineParser
{
    private readonly JoinedLine _line = new();
    private string? _section;

    /// <inheritdoc />
    public void Line(string text, long number)
    {
        if (!_line.IsEmpty)
        {
            var inner = text.TrimStart();
            if (inner.StartsWith('#') || inner.StartsWith(';'))
            {
                return;
            }

            Continue(text, number);
            return;
        }

        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed[0] is '#' or ';')
        {
            return;
        }

        if (trimmed[0] == '[')
        {
            if (trimmed[^1] == ']')
            {
                _section = trimmed[1..^1];
            }
            else
            {
                context.Warn(number, $"'{SettingParsing.Shorten(trimmed)}' is not a section header ('[Service]'); ignored");
            }

            return;
        }

        Continue(text, number);
    }

    /// <inheritdoc />
    public void Finish()
    {
        if (!_line.IsEmpty)
        {
            context.Warn(_line.FirstLine, $"the line continued from line {_line.FirstLine} ends the file with a backslash; read as it is");
            Complete();
        }
    }

    private void Continue(string text, long number)
    {
        var trimmedEnd = text.TrimEnd();
        var continued = trimmedEnd.EndsWith('\\') && !_line.IsFull;
        _line.Append(continued ? trimmedEnd[..^1] : text, number, " ");
        if (!continued)
        {
            Complete();
        }
    }

    private void Complete()
    {
        var text = _line.Text;
        var first = _line.FirstLine;
        try
        {
            Assignment(text, first);
        }
        finally
        {
            _line.Clear();
        }
    }

    private void Assignment(string text, long line)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            context.Warn(line, $"'{SettingParsing.Shorten(text.Trim())}' is not a KEY=VALUE line; ignored");
            return;
        }

        var key = text[..equals].Trim();
        var valueStart = equals + 1;
        while (valueStart < text.Length && char.IsWhiteSpace(text[valueStart]))
        {
            valueStart++;
        }

        var value = text[valueStart..].TrimEnd();
        if (_section is null)
        {
            context.Warn(line, $"'{key}=' comes before any section header; ignored");
            return;
        }

        if (_section is not ("Service" or "Socket") || value.Length == 0)
        {
            return;
        }

        switch (key)
        {
            case "Environment":
                foreach (var word in ShellWords.Split(value, systemd: true, out _).Where(w => !w.IsOperator))
                {
                    if (LaunchInterpreter.IsAssignment(word.Text))
                    {
                        var at = word.Text.IndexOf('=', StringComparison.Ordinal);
                        interpreter.Environment(word.Text[..at], word.Text[(at + 1)..], _line.LineAt(valueStart + word.Offset));
                    }
                    else
                    {
                        context.Warn(line, $"'{SettingParsing.Shorten(word.Text)}' in Environment= is not a NAME=value assignment; ignored");
                    }
                }

                return;
            case "ExecStart":
                ExecStart(value, valueStart, line);
                return;
        }

        interpreter.Emit(new ConfigParameter(ConfigurationScope.Systemd, key, Typed(key, value), SettingOrigin.ConfigurationFile, context.At(line)), line);
    }

    private void ExecStart(string value, int valueStart, long line)
    {
        // Prefixes: - (failure ignored), @ (second word is argv[0]), : + ! !! (privileges, no substitution).
        var prefix = 0;
        var argv0 = false;
        while (prefix < value.Length && value[prefix] is '-' or '@' or ':' or '+' or '!')
        {
            argv0 |= value[prefix] == '@';
            prefix++;
        }

        var words = ShellWords.Split(value[prefix..], systemd: true, out _);
        var shown = string.Join(' ', words.Select((w, i) => LaunchInterpreter.RedactWord(w.Text, i > 0 ? words[i - 1].Text : null)));
        interpreter.Emit(new ConfigParameter(ConfigurationScope.Systemd, "ExecStart", SettingValue.FromText(value[..prefix] + shown),
            SettingOrigin.ConfigurationFile, context.At(line)), line);

        var command = new List<LaunchWord>();
        foreach (var word in words.Append(new ShellWord(";", value.Length, IsOperator: true)))
        {
            if (!word.IsOperator)
            {
                command.Add(new LaunchWord(word.Text, _line.LineAt(valueStart + prefix + word.Offset)));
                continue;
            }

            if (command.Count > 0)
            {
                if (argv0 && command.Count > 1)
                {
                    command.RemoveAt(1);
                }

                interpreter.Command(command);
                command = [];
            }
        }
    }

    /// <summary>A systemd value typed: <c>Listen*</c> as a list, <c>…Sec</c> as a duration, numbers, booleans, else text.</summary>
    private static SettingValue Typed(string key, string value)
    {
        if (key.StartsWith("Listen", StringComparison.Ordinal))
        {
            return SettingValue.List([value]);
        }

        if (key.EndsWith("Mode", StringComparison.Ordinal) || key == "UMask")
        {
            return SettingValue.FromText(value);
        }

        if (key.EndsWith("Sec", StringComparison.Ordinal) && TryTimeSpan(value, out var time))
        {
            return SettingValue.Duration(time, value);
        }

        if (value.Length < 19 && (value == "0" || (value[0] != '0' && !value.AsSpan().ContainsAnyExceptInRange('0', '9')))
            && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return SettingValue.Integer(number);
        }

        switch (value.ToLowerInvariant())
        {
            case "yes" or "true" or "on":
                return SettingValue.Boolean(true);
            case "no" or "false" or "off":
                return SettingValue.Boolean(false);
        }

        return SettingValue.FromText(SettingParsing.Redact(value));
    }

    /// <summary>A systemd time span: <c>90</c> (seconds), <c>90s</c>, <c>1min 30s</c>, <c>500ms</c>, <c>2h</c>; not <c>infinity</c>.</summary>
    internal static bool TryTimeSpan(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var total = 0.0;
        var i = 0;
        var parts = 0;
        while (i < text.Length)
        {
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i == text.Length)
            {
                break;
            }

            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (!double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            var unit = text[unitStart..i];
            double? seconds = unit switch
            {
                "" or "s" or "sec" or "second" or "seconds" => 1,
                "ms" or "msec" => 0.001,
                "us" or "usec" or "µs" => 0.000001,
                "m" or "min" or "minute" or "minutes" => 60,
                "h" or "hr" or "hour" or "hours" => 3600,
                "d" or "day" or "days" => 86400,
                "w" or "week" or "weeks" => 604800,
                _ => null,
            };
            if (seconds is not { } factor)
            {
                return false;
            }

            total += number * factor;
            parts++;
        }

        if (parts == 0 || total > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(total);
        return true;
    }
}
