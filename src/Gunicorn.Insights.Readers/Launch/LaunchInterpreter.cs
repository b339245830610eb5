using System.Globalization;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.GunicornConfig;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Launch;

/// <summary>
/// Turns commands and environment assignments, however they were written (systemd, Procfile, Dockerfile, env file,
/// script, <c>/proc/PID/cmdline</c>), into observations: a <see cref="LaunchCommand"/> for each command that runs
/// Gunicorn, a <see cref="ConfigParameter"/> per Gunicorn flag (argparse's rules: <c>-w 4</c>, <c>-w4</c>,
/// <c>--workers=4</c>, abbreviations, repeated <c>-b</c>), Gunicorn's environment variables as the settings they default
/// (<c>WEB_CONCURRENCY</c>, <c>FORWARDED_ALLOW_IPS</c>) or flags (<c>GUNICORN_CMD_ARGS</c>), and other variables as
/// <see cref="ConfigurationScope.Platform"/> parameters with secrets masked.
/// </summary>
internal sealed class LaunchInterpreter(ReadContext context)
{
    /// <summary>The most launch commands kept from one input.</summary>
    public const int MaximumCommands = 100;

    /// <summary>The most parameters kept from one input.</summary>
    public const int MaximumParameters = 5_000;

    private const int MaximumShellDepth = 3;

    private static readonly HashSet<string> Wrappers = new(StringComparer.Ordinal)
    {
        "env", "nohup", "sudo", "time", "nice", "ionice", "chrt", "taskset", "numactl", "setsid", "stdbuf", "timeout", "dumb-init",
        "tini", "tini-static", "gosu", "su-exec", "chpst", "setuidgid", "s6-setuidgid", "runuser", "authbind", "xvfb-run", "catchsegv",
        "newrelic-admin", "ddtrace-run", "opentelemetry-instrument", "elastic-apm-run", "scout-apm", "poetry", "pipenv", "uv", "uvx", "pdm",
        "hatch", "rye", "conda", "micromamba", "mamba", "pixi", "doppler", "infisical", "op", "aws-vault", "chamber", "envconsul", "berglas",
        "dotenv", "envdir", "s6-envdir", "with-contenv", "honcho", "py-spy", "memray", "strace", "ltrace", "valgrind", "coverage",
        "pyinstrument", "start-stop-daemon", "exec", "pipx", "nix-shell", "direnv",
    };

    private static readonly HashSet<string> SubCommands = new(StringComparer.Ordinal)
    {
        "run", "run-program", "run-python", "exec", "--", "record", "top",
    };

    private static readonly HashSet<string> Shells = new(StringComparer.Ordinal) { "sh", "bash", "dash", "ash", "zsh", "ksh", "busybox" };

    private static readonly HashSet<string> ReservedWords = new(StringComparer.Ordinal)
    {
        "then", "do", "else", "elif", "if", "while", "until", "{", "}", "!", "fi", "done",
    };

    private int _commands;
    private int _parameters;
    private bool _warnedParameters;

    /// <summary>How many commands that run Gunicorn were found.</summary>
    public int Commands => _commands;

    /// <summary>True when <paramref name="word"/> is the Gunicorn program (<c>gunicorn</c>, <c>/srv/venv/bin/gunicorn</c>).</summary>
    public static bool IsGunicorn(string word)
    {
        var name = BaseName(word);
        return name is "gunicorn" or "gunicorn3";
    }

    /// <summary>
    /// The index of the Gunicorn program among <paramref name="words"/> when the command runs it — directly, through
    /// <c>python -m</c>, or under wrappers (<c>newrelic-admin run-program</c>, <c>env A=1</c>, <c>poetry run</c>,
    /// an entrypoint script) — or -1 (for <c>pip install gunicorn</c>, <c>echo gunicorn</c>, a log line).
    /// </summary>
    public static int GunicornIndex(IReadOnlyList<string> words)
    {
        var commandSeen = false;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (IsGunicorn(word))
            {
                return i;
            }

            if (IsAssignment(word))
            {
                continue;
            }

            var name = BaseName(word);
            if (!commandSeen)
            {
                if (!IsWrapper(name))
                {
                    return -1;
                }

                commandSeen = true;
                continue;
            }

            var previous = words[i - 1];
            if (word.StartsWith('-') || IsWrapper(name) || SubCommands.Contains(word)
                || (previous.StartsWith('-') && previous.Length > 1 && !previous.Contains('=', StringComparison.Ordinal)))
            {
                continue;
            }

            return -1;
        }

        return -1;
    }

    /// <summary>True when shell text runs Gunicorn in one of its simple commands (looking one level into <c>sh -c "…"</c>).</summary>
    public static bool RunsGunicorn(string text, int depth = 0)
    {
        foreach (var command in ShellWords.SimpleCommands(ShellWords.Split(text, systemd: false, out _)))
        {
            var words = command.Select(w => w.Text).SkipWhile(ReservedWords.Contains).ToList();
            if (GunicornIndex(words) >= 0)
            {
                return true;
            }

            var shell = words.FindIndex(w => Shells.Contains(BaseName(w)));
            if (depth == 0 && shell >= 0 && shell + 2 < words.Count && words[shell + 1].StartsWith('-') && words[shell + 1].Contains('c', StringComparison.Ordinal)
                && RunsGunicorn(words[shell + 2], depth + 1))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads shell text (a Procfile command, a Dockerfile shell form, a script line, an env file line).</summary>
    public void Shell(string text, Func<int, long> lineAt, int depth = 0, IReadOnlyList<LaunchWord>? prefix = null)
    {
        var words = ShellWords.Split(text, systemd: false, out _);
        foreach (var command in ShellWords.SimpleCommands(words))
        {
            var launch = new List<LaunchWord>(prefix ?? []);
            launch.AddRange(command.Select(w => new LaunchWord(w.Text, lineAt(w.Offset))));
            Command(launch, depth);
        }
    }

    /// <summary>Reads one simple command: its environment assignments, and Gunicorn's flags when it runs Gunicorn.</summary>
    public void Command(IReadOnlyList<LaunchWord> words, int depth = 0)
    {
        var start = 0;
        while (start < words.Count && ReservedWords.Contains(words[start].Text))
        {
            start++;
        }

        var index = start;
        while (index < words.Count && IsAssignment(words[index].Text))
        {
            index++;
        }

        if (index == words.Count)
        {
            // NAME=value on its own: a variable of the shell, an env file, a Procfile-less platform.
            foreach (var word in words.Skip(start))
            {
                Assignment(word);
            }

            return;
        }

        var program = words[index].Text;
        if (program is "export" or "declare" or "typeset" or "readonly")
        {
            foreach (var word in words.Skip(index + 1).Where(w => IsAssignment(w.Text)))
            {
                Assignment(word);
            }

            return;
        }

        if (Unwrap(words, start, depth))
        {
            return;
        }

        var texts = words.Skip(start).Select(w => w.Text).ToArray();
        var gunicorn = GunicornIndex(texts);
        if (gunicorn < 0)
        {
            if (texts.Length > 0 && texts[0].StartsWith("gunicorn:", StringComparison.Ordinal))
            {
                context.Warn(words[start].Line, $"'{SettingParsing.Shorten(string.Join(' ', texts))}' is Gunicorn's process title (set with setproctitle), "
                    + "not its command line: the flags are not visible here; read the command from the systemd unit, Procfile or Dockerfile");
            }

            return;
        }

        gunicorn += start;
        for (var i = start; i < gunicorn; i++)
        {
            if (IsAssignment(words[i].Text))
            {
                Assignment(words[i]);
            }
        }

        if (_commands >= MaximumCommands)
        {
            if (_commands++ == MaximumCommands)
            {
                context.Warn(words[start].Line, $"more than {MaximumCommands} commands that run Gunicorn; the rest are not read");
            }

            return;
        }

        _commands++;
        var launchWords = new List<string>();
        for (var i = start; i < words.Count; i++)
        {
            if (i < gunicorn && words[i].Text == "exec" && (i == start || IsAssignment(words[i - 1].Text)))
            {
                continue;
            }

            launchWords.Add(RedactWord(words[i].Text, i > start ? words[i - 1].Text : null));
        }

        context.Add(new LaunchCommand(launchWords, context.At(words[start].Line)));
        Arguments(words.Skip(gunicorn + 1).ToList(), SettingOrigin.CommandLine);
    }

    /// <summary>Reads Gunicorn's arguments as its argparse parser does.</summary>
    public void Arguments(IReadOnlyList<LaunchWord> arguments, SettingOrigin origin)
    {
        var positional = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            var (word, line) = arguments[i];
            if (positional || word == "-" || !word.StartsWith('-'))
            {
                continue;
            }

            if (word == "--")
            {
                positional = true;
                continue;
            }

            if (IsHelpOrVersion(word))
            {
                continue;
            }

            if (word.StartsWith("--", StringComparison.Ordinal))
            {
                var equals = word.IndexOf('=', StringComparison.Ordinal);
                var flag = equals < 0 ? word : word[..equals];
                if (!GunicornSettingCatalog.TryResolve(flag, out var setting) || !setting.CommandLineFlags.Any(f => f.StartsWith(flag, StringComparison.Ordinal)))
                {
                    context.Warn(line, $"unknown or ambiguous Gunicorn flag '{SettingParsing.Shorten(flag)}' (Gunicorn would stop with 'unrecognized arguments'); ignored");
                    continue;
                }

                if (setting.FlagValue is { } flagValue)
                {
                    if (equals >= 0)
                    {
                        context.Warn(line, $"the flag {flag} takes no value, but '{SettingParsing.Shorten(word)}' gives one (Gunicorn would stop with 'ignored explicit argument'); ignored");
                    }
                    else
                    {
                        Add(setting, flagValue, flag, line, origin);
                    }

                    continue;
                }

                var value = equals >= 0 ? word[(equals + 1)..] : TakeValue(arguments, ref i, flag);
                if (value is not null)
                {
                    Setting(setting, flag, value, line, origin);
                }

                continue;
            }

            Short(arguments, ref i, origin);
        }
    }

    /// <summary>Reads an environment variable that reaches Gunicorn.</summary>
    public void Environment(string name, string value, long line)
    {
        switch (name)
        {
            case "GUNICORN_CMD_ARGS":
                var words = ShellWords.Split(value, systemd: false, out _);
                Arguments(words.Where(w => !w.IsOperator).Select(w => new LaunchWord(w.Text, line)).ToList(), SettingOrigin.CommandLineEnvironment);
                return;
            case "WEB_CONCURRENCY":
                EnvironmentDefault(GunicornSettingCatalog.Workers, name, value, line);
                return;
            case "FORWARDED_ALLOW_IPS":
                EnvironmentDefault(GunicornSettingCatalog.All.First(s => s.Name == "forwarded_allow_ips"), name, value, line);
                return;
        }

        if (!IsEnvironmentName(name))
        {
            return;
        }

        var typed = name == "PORT" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? SettingValue.Integer(port)
            : SettingValue.FromText(SettingParsing.RedactValue(name, value));
        Emit(new ConfigParameter(ConfigurationScope.Platform, name, typed, SettingOrigin.EnvironmentDefault, context.At(line)), line);
    }

    /// <summary>A word fit to show: secrets in assignments, options and URLs masked, New Relic license keys hidden.</summary>
    public static string RedactWord(string word, string? previous)
    {
        if (previous == "generate-config" || SettingParsing.IsLicenseKey(word))
        {
            return SecretRedactor.Mask;
        }

        var equals = word.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0 && IsEnvironmentName(word[..equals]))
        {
            return word[..(equals + 1)] + SettingParsing.RedactValue(word[..equals], word[(equals + 1)..]);
        }

        return SettingParsing.Redact(word);
    }

    /// <summary>True for <c>NAME=value</c> with a shell variable name.</summary>
    public static bool IsAssignment(string word)
    {
        var equals = word.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && IsVariableName(word.AsSpan(0, equals));
    }

    /// <summary>True for a shell variable name.</summary>
    public static bool IsVariableName(ReadOnlySpan<char> name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsEnvironmentName(string name) =>
        IsVariableName(name) && (!name.AsSpan().ContainsAnyInRange('a', 'z') || string.Equals(name, "prometheus_multiproc_dir", StringComparison.OrdinalIgnoreCase));

    private static bool IsWrapper(string name) =>
        Wrappers.Contains(name) || name.StartsWith("python", StringComparison.Ordinal) || name.StartsWith("pypy", StringComparison.Ordinal)
        || name.EndsWith(".sh", StringComparison.Ordinal) || name.Contains("entrypoint", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("start-", StringComparison.Ordinal) || name.StartsWith("start_", StringComparison.Ordinal) || name is "start" or "run";

    private static string BaseName(string word)
    {
        var slash = word.LastIndexOf('/');
        return slash < 0 ? word : word[(slash + 1)..];
    }

    private static bool IsHelpOrVersion(string word) =>
        word is "-h" or "-v" || (word.Length > 2 && ("--help".StartsWith(word, StringComparison.Ordinal) || "--version".StartsWith(word, StringComparison.Ordinal)));

    /// <summary><c>sh -c "…"</c>: the script's simple commands are read as commands, keeping any wrappers before the shell.</summary>
    private bool Unwrap(IReadOnlyList<LaunchWord> words, int start, int depth)
    {
        var shell = start;
        while (shell < words.Count && (IsAssignment(words[shell].Text) || words[shell].Text == "exec"))
        {
            shell++;
        }

        // Wrappers may come before the shell: newrelic-admin run-program sh -c "gunicorn …".
        var texts = words.Select(w => w.Text).ToList();
        while (shell < words.Count && !Shells.Contains(BaseName(texts[shell])) && !IsGunicorn(texts[shell])
            && (IsWrapper(BaseName(texts[shell])) || SubCommands.Contains(texts[shell]) || texts[shell].StartsWith('-') || IsAssignment(texts[shell])))
        {
            shell++;
        }

        if (shell >= words.Count || !Shells.Contains(BaseName(texts[shell])))
        {
            return false;
        }

        var script = -1;
        var commandFlag = false;
        for (var i = shell + 1; i < words.Count; i++)
        {
            var word = texts[i];
            if (word.StartsWith('-') && word.Length > 1 && !word.StartsWith("--", StringComparison.Ordinal))
            {
                commandFlag |= word.Contains('c', StringComparison.Ordinal);
                continue;
            }

            if (word.StartsWith("--", StringComparison.Ordinal) || (word == "sh" && BaseName(texts[shell]) == "busybox"))
            {
                continue;
            }

            script = i;
            break;
        }

        if (!commandFlag || script < 0)
        {
            return false;
        }

        if (depth >= MaximumShellDepth)
        {
            context.Warn(words[script].Line, "shells nested in shells more than three deep; the innermost command is not read");
            return true;
        }

        var prefix = words.Skip(start).Take(shell - start).Where(w => w.Text != "exec").ToList();
        var line = words[script].Line;
        Shell(words[script].Text, _ => line, depth + 1, prefix);
        return true;
    }

    private void Short(IReadOnlyList<LaunchWord> arguments, ref int i, SettingOrigin origin)
    {
        var (word, line) = arguments[i];
        var position = 1;
        while (position < word.Length)
        {
            var flag = "-" + word[position];
            if (!GunicornSettingCatalog.TryResolve(flag, out var setting))
            {
                context.Warn(line, $"unknown Gunicorn flag '{flag}' in '{SettingParsing.Shorten(word)}' (Gunicorn would stop with 'unrecognized arguments'); ignored");
                return;
            }

            if (setting.FlagValue is { } flagValue)
            {
                Add(setting, flagValue, flag, line, origin);
                position++;
                continue;
            }

            var rest = word[(position + 1)..];
            var value = rest.Length > 0 ? (rest.StartsWith('=') ? rest[1..] : rest) : TakeValue(arguments, ref i, flag);
            if (value is not null)
            {
                Setting(setting, flag, value, line, origin);
            }

            return;
        }
    }

    private string? TakeValue(IReadOnlyList<LaunchWord> arguments, ref int i, string flag)
    {
        var line = arguments[i].Line;
        if (i + 1 >= arguments.Count || (arguments[i + 1].Text.StartsWith('-') && arguments[i + 1].Text.Length > 1
            && !double.TryParse(arguments[i + 1].Text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            context.Warn(line, $"the flag {flag} expects a value and has none (Gunicorn would stop with 'expected one argument'); ignored");
            return null;
        }

        return arguments[++i].Text;
    }

    private void Setting(GunicornSetting setting, string flag, string value, long line, SettingOrigin origin)
    {
        var numeric = setting.ValueKind is SettingValueKind.Integer or SettingValueKind.Duration or SettingValueKind.CpuFormula;
        if (numeric && (value.Contains('$', StringComparison.Ordinal) || value.Contains('`', StringComparison.Ordinal)))
        {
            context.Warn(line, $"'{flag} {SettingParsing.Shorten(value)}' depends on a shell expansion that is not known here (nothing is expanded); ignored");
            return;
        }

        if (!SettingParsing.TryParse(setting, value, out var parsed, out var error))
        {
            context.Warn(line, $"{error.TrimEnd('.')} (given as {flag}); ignored: Gunicorn would refuse to start");
            return;
        }

        Add(setting, parsed, flag, line, origin);
    }

    private void EnvironmentDefault(GunicornSetting setting, string name, string value, long line)
    {
        if (value.Contains('$', StringComparison.Ordinal) || value.Contains('`', StringComparison.Ordinal))
        {
            context.Warn(line, $"{name}={SettingParsing.Shorten(value)} refers to another variable, which is not expanded here; ignored");
            return;
        }

        if (!SettingParsing.TryParse(setting, value, out var parsed, out var error))
        {
            context.Warn(line, $"{error.TrimEnd('.')} (given as the environment variable {name}); ignored");
            return;
        }

        Emit(new ConfigParameter(ConfigurationScope.Gunicorn, setting.Name, parsed, SettingOrigin.EnvironmentDefault, context.At(line)) { WrittenAs = name }, line);
    }

    private void Assignment(LaunchWord word)
    {
        var equals = word.Text.IndexOf('=', StringComparison.Ordinal);
        Environment(word.Text[..equals], word.Text[(equals + 1)..], word.Line);
    }

    private void Add(GunicornSetting setting, SettingValue value, string flag, long line, SettingOrigin origin) =>
        Emit(new ConfigParameter(ConfigurationScope.Gunicorn, setting.Name, value, origin, context.At(line)) { WrittenAs = flag }, line);

    /// <summary>Adds a parameter of any scope, within the per-input cap.</summary>
    public void Emit(ConfigParameter parameter, long line)
    {
        if (_parameters >= MaximumParameters)
        {
            if (!_warnedParameters)
            {
                _warnedParameters = true;
                context.Warn(line, $"more than {MaximumParameters} parameters in one input; the rest are not read");
            }

            return;
        }

        _parameters++;
        context.Add(parameter);
    }
}
