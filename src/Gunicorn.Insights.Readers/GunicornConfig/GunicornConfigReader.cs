using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.GunicornConfig;

/// <summary>
/// Reads <c>gunicorn.conf.py</c> statically, never executing it. Module-level assignments of literals (numbers in any
/// Python spelling, strings, booleans, <c>None</c>, lists, tuples, dicts), arithmetic (<c>5 * 60</c>), CPU formulas
/// (<c>multiprocessing.cpu_count() * 2 + 1</c>), <c>os.environ.get("WEB_CONCURRENCY", 4)</c> (its default, noting the
/// variable), simple f-strings and concatenation, and names of earlier values become <see cref="ConfigParameter"/>s of
/// origin <see cref="SettingOrigin.ConfigurationFile"/>, validated by <see cref="GunicornSetting.Parse"/>. Server hooks
/// defined with <c>def</c> (or assigned) become parameters with the value <c>defined</c>. Assignments to
/// <c>os.environ[…]</c> become <see cref="ConfigurationScope.Platform"/> parameters. Unknown lower-case names, values
/// Gunicorn would reject, settings assigned inside <c>if</c>/<c>for</c> blocks and expressions that need the file to run
/// are reported with their line.
/// </summary>
public sealed class GunicornConfigReader : IArtifactReader
{
    /// <summary>The most parameters kept from one input; a real config file has a few dozen.</summary>
    public const int MaximumParameters = 5_000;

    /// <summary>The most module-level names remembered for later references.</summary>
    public const int MaximumVariables = 1_000;

    /// <summary>The longest expression whose value is remembered for later references.</summary>
    private const int MaximumRememberedLength = 4096;

    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.GunicornConfig;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var name = Path.GetFileName(fileName ?? string.Empty);
        var settings = 0;
        var sections = false;
        foreach (var line in head)
        {
            if (line.StartsWith('['))
            {
                sections = true;
            }

            if (ModuleLevelSetting(line) is not null)
            {
                settings++;
            }
        }

        var python = name.EndsWith(".py", StringComparison.OrdinalIgnoreCase);
        var gunicornName = python && (name.Contains("gunicorn", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".conf.py", StringComparison.OrdinalIgnoreCase));
        if (gunicornName)
        {
            return Math.Min(100, (settings == 0 ? 40 : 70) + (settings * 5));
        }

        if (python)
        {
            return settings switch { 0 => 0, 1 => 25, _ => Math.Min(80, 45 + (settings * 5)) };
        }

        return settings >= 3 && !sections ? 30 : 0;
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var state = new State(context);
        var joiner = new PythonStatementJoiner(context, state.Statement);
        source.ForEachLine(context, (bytes, number) => joiner.Line(context.Text(bytes, number), number));
        joiner.Finish(context.Lines);
    }

    /// <summary>The setting a line assigns at module level (<c>workers = 4</c>, <c>def post_fork(</c>), or null.</summary>
    private static GunicornSetting? ModuleLevelSetting(string line)
    {
        var text = line.AsSpan();
        if (text.StartsWith("def ", StringComparison.Ordinal))
        {
            text = text[4..].TrimStart();
        }

        var length = 0;
        while (length < text.Length && (char.IsAsciiLetterOrDigit(text[length]) || text[length] == '_'))
        {
            length++;
        }

        if (length == 0)
        {
            return null;
        }

        var name = text[..length].ToString();
        var rest = text[length..].TrimStart();
        var assigns = (rest.StartsWith("=", StringComparison.Ordinal) && !rest.StartsWith("==", StringComparison.Ordinal))
            || (line.StartsWith("def ", StringComparison.Ordinal) && rest.StartsWith("(", StringComparison.Ordinal));
        return assigns && GunicornSettingCatalog.TryResolve(name, out var setting) && setting.Name == name ? setting : null;
    }

    private enum BlockKind
    {
        Executed,
        Function,
        Conditional,
    }

    private sealed class State(ReadContext context)
    {
        private const int MaximumBlockDepth = 100;

        private static readonly System.Buffers.SearchValues<char> LowerSnake = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_");

        private readonly Dictionary<string, PythonValue> _variables = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _imports = new(StringComparer.Ordinal);
        private readonly List<(int Indent, BlockKind Kind, string Keyword, long Line)> _blocks = [];
        private int _parameters;
        private bool _warnedStarImport;

        public void Statement(PythonStatement statement)
        {
            while (_blocks.Count > 0 && _blocks[^1].Indent >= statement.Indent)
            {
                _blocks.RemoveAt(_blocks.Count - 1);
            }

            foreach (var part in SplitSemicolons(statement.Text))
            {
                Simple(part, statement.Line, statement.Indent);
            }
        }

        private void Simple(string text, long line, int indent)
        {
            var trimmed = text.Trim();
            if (trimmed.Length == 0)
            {
                return;
            }

            var keyword = LeadingWord(trimmed);
            if (keyword == "async" && trimmed.Length > 6)
            {
                keyword = LeadingWord(trimmed[6..].TrimStart());
                trimmed = trimmed[6..].TrimStart();
            }

            var (kind, header) = Context();
            switch (keyword)
            {
                case "def":
                    if (kind == BlockKind.Executed)
                    {
                        Hook(trimmed, line);
                    }

                    Push(indent, BlockKind.Function, keyword, line);
                    return;
                case "class":
                    Push(indent, BlockKind.Function, keyword, line);
                    return;
                case "if" or "elif" or "else" or "for" or "while" or "except" or "match" or "case":
                    Compound(trimmed, indent, BlockKind.Conditional, keyword, line);
                    return;
                case "try" or "with" or "finally":
                    Compound(trimmed, indent, BlockKind.Executed, keyword, line);
                    return;
                case "import" or "from":
                    if (kind == BlockKind.Executed)
                    {
                        Import(trimmed, line);
                    }

                    return;
                case "global" or "nonlocal" or "pass" or "del" or "assert" or "raise" or "return" or "yield" or "break" or "continue":
                    return;
            }

            if (trimmed.StartsWith('@'))
            {
                return;
            }

            switch (kind)
            {
                case BlockKind.Executed:
                    Assignment(trimmed, line);
                    break;
                case BlockKind.Conditional:
                    ConditionalAssignment(trimmed, line, header);
                    break;
            }
        }

        /// <summary>The kind of code a statement is in: run at import (module level, try, with), in a function, or under a condition.</summary>
        private (BlockKind Kind, (string Keyword, long Line) Header) Context()
        {
            var result = BlockKind.Executed;
            (string, long) header = (string.Empty, 0);
            foreach (var block in _blocks)
            {
                if (block.Kind == BlockKind.Function)
                {
                    return (BlockKind.Function, (block.Keyword, block.Line));
                }

                if (block.Kind == BlockKind.Conditional && result == BlockKind.Executed)
                {
                    result = BlockKind.Conditional;
                    header = (block.Keyword, block.Line);
                }
            }

            return (result, header);
        }

        private void Push(int indent, BlockKind kind, string keyword, long line)
        {
            if (_blocks.Count < MaximumBlockDepth)
            {
                _blocks.Add((indent, kind, keyword, line));
            }
        }

        private void Compound(string text, int indent, BlockKind kind, string keyword, long line)
        {
            Push(indent, kind, keyword, line);
            if (!PythonTokenizer.TryTokenize(text, out var tokens, out _))
            {
                return;
            }

            // if DEBUG: reload = True — a body on the header's line.
            var depth = 0;
            foreach (var token in tokens)
            {
                if (token.Kind != PythonTokenKind.Operator)
                {
                    continue;
                }

                depth += token.Text switch { "(" or "[" or "{" => 1, ")" or "]" or "}" => -1, _ => 0 };
                if (token.Text == ":" && depth == 0)
                {
                    var body = text[token.End..].Trim();
                    if (body.Length > 0)
                    {
                        Simple(body, line, indent + 1);
                    }

                    return;
                }
            }
        }

        private void Hook(string text, long line)
        {
            var open = text.IndexOf('(', StringComparison.Ordinal);
            var name = (open < 0 ? text[3..] : text[3..open]).Trim();
            if (!GunicornSettingCatalog.TryResolve(name, out var setting) || setting.Name != name || !setting.IsServerHook)
            {
                return;
            }

            if (open >= 0 && Arity(setting) is { } arity && ParameterCount(text[(open + 1)..]) is { } count && count != arity)
            {
                context.Warn(line, $"the server hook '{name}' takes {count} argument(s) but Gunicorn calls it with {arity}: Gunicorn refuses "
                    + $"to start ('Value must have an arity of: {arity}'); ignored");
                return;
            }

            Add(setting, SettingValue.FromText("defined"), $"def {name}", line);
        }

        private void Import(string text, long line)
        {
            if (!text.StartsWith("from ", StringComparison.Ordinal))
            {
                return;
            }

            var import = text.IndexOf(" import ", StringComparison.Ordinal);
            if (import < 0)
            {
                return;
            }

            var module = text[5..import].Trim();
            var names = text[(import + 8)..].Trim().Trim('(', ')');
            if (names == "*")
            {
                if (!_warnedStarImport)
                {
                    _warnedStarImport = true;
                    context.Warn(line, $"'from {module} import *' may bring settings into the file that cannot be read without executing it; "
                        + "only the assignments written here are read");
                }

                return;
            }

            foreach (var item in names.Split(','))
            {
                var parts = item.Split(" as ", 2, StringSplitOptions.TrimEntries);
                var local = parts.Length == 2 ? parts[1] : parts[0];
                if (local.Length > 0 && _imports.Count < MaximumVariables)
                {
                    _imports[local] = $"{module}.{parts[0]}";
                }
            }
        }

        private void ConditionalAssignment(string text, long line, (string Keyword, long Line) header)
        {
            if (Targets(text, out _, out _, out var unpacked) is not { } targets)
            {
                return;
            }

            foreach (var name in targets.Concat(unpacked))
            {
                if (GunicornSettingCatalog.TryResolve(name, out var setting) && setting.Name == name)
                {
                    context.Warn(line, $"'{name}' is assigned inside the '{header.Keyword}' block of line {header.Line}: whether and how it is set "
                        + "depends on a condition evaluated when the file runs; cannot be read without executing the file; ignored");
                }
            }
        }

        private void Assignment(string text, long line)
        {
            if (text.StartsWith("os.environ.setdefault(", StringComparison.Ordinal) || text.StartsWith("environ.setdefault(", StringComparison.Ordinal))
            {
                EnvironmentSetDefault(text, line);
                return;
            }

            if (Targets(text, out var valueText, out var augmented, out var unpacked) is not { } targets)
            {
                return;
            }

            foreach (var name in unpacked)
            {
                _variables.Remove(name);
                if (IsSetting(name, out _))
                {
                    context.Warn(line, $"'{name}' is set by unpacking several values at once; cannot be read without executing the file; ignored");
                }
            }

            if (augmented is not null)
            {
                foreach (var name in targets)
                {
                    _variables.Remove(name);
                    if (IsSetting(name, out _))
                    {
                        context.Warn(line, $"'{name} {augmented} …' changes the setting with an augmented assignment; cannot be read without executing the file; ignored");
                    }
                }

                return;
            }

            var value = PythonExpression.Evaluate(valueText, Lookup);
            foreach (var target in targets)
            {
                if (target.StartsWith("os.environ[", StringComparison.Ordinal) || target.StartsWith("environ[", StringComparison.Ordinal))
                {
                    EnvironmentAssignment(target, value, line);
                    continue;
                }

                Remember(target, value);
                Setting(target, value, valueText, line);
            }
        }

        private void Setting(string name, PythonValue value, string valueText, long line)
        {
            if (IsSetting(name, out var setting))
            {
                if (setting.IsCommandLineOnly)
                {
                    context.Warn(line, $"'{name}' has no effect in a configuration file (Gunicorn takes the configuration file's name from the command line only); ignored");
                    return;
                }

                if (Convert(setting, value, valueText, out var converted, out var problem))
                {
                    var writtenAs = value.Environment.Count == 0
                        ? name
                        : $"{name} (the default for when the environment variable{(value.Environment.Count > 1 ? "s" : string.Empty)} "
                            + $"{string.Join(", ", value.Environment)} {(value.Environment.Count > 1 ? "are" : "is")} unset)";
                    Add(setting, converted, writtenAs, line);
                }
                else
                {
                    context.Warn(line, problem);
                }

                return;
            }

            if (name.StartsWith('_') || name.Length == 0)
            {
                return;
            }

            if (IsLowerSnake(name))
            {
                var flag = "--" + name.Replace('_', '-');
                var suggestion = GunicornSettingCatalog.All.FirstOrDefault(s => s.CommandLineFlags.Contains(flag, StringComparer.Ordinal));
                context.Warn(line, suggestion is null
                    ? $"unknown Gunicorn setting '{name}'; Gunicorn ignores module-level names that are not settings"
                    : $"unknown Gunicorn setting '{name}'; Gunicorn ignores it (the flag {flag} is the setting '{suggestion.Name}' in a configuration file)");
            }
            else if (IsSetting(name.ToLowerInvariant(), out var lower))
            {
                context.Warn(line, $"'{name}' is not a Gunicorn setting: setting names are lower case ('{lower.Name}'), so Gunicorn ignores it");
            }
        }

        private bool Convert(GunicornSetting setting, PythonValue value, string valueText, out SettingValue converted, out string problem)
        {
            converted = SettingValue.FromText(string.Empty);
            problem = string.Empty;
            var shown = SettingParsing.Shorten(valueText.Trim());
            if (setting.IsServerHook)
            {
                switch (value)
                {
                    case PythonCallable or PythonReference:
                        converted = SettingValue.FromText("defined");
                        return true;
                    case PythonString path:
                        converted = SettingValue.FromText(path.Value);
                        return true;
                    case PythonUnknown unknown:
                        problem = CannotRead(setting.Name, shown, unknown.Reason);
                        return false;
                    default:
                        problem = $"Invalid value '{shown}' for Gunicorn setting '{setting.Name}': a server hook must be a function or an import path (Gunicorn: 'Value is not callable'); ignored";
                        return false;
                }
            }

            var numeric = setting.ValueKind is SettingValueKind.Integer or SettingValueKind.Duration or SettingValueKind.CpuFormula;
            string text;
            switch (value)
            {
                case PythonUnknown unknown:
                    problem = CannotRead(setting.Name, shown, unknown.Reason);
                    return false;
                case PythonNumber when setting.ValueKind == SettingValueKind.List:
                    problem = $"Invalid value '{shown}' for Gunicorn setting '{setting.Name}': expected a string or a list of strings, not a number; ignored";
                    return false;
                case PythonNumber { IsLiteral: true } number when HasLeadingZero(number.Text):
                    problem = $"'{setting.Name} = {shown}': a number with a leading zero is a Python syntax error (write 0o{number.Text.TrimStart('0')} for octal); "
                        + "Gunicorn would refuse the file; ignored";
                    return false;
                case PythonNumber number:
                    text = number.Text;
                    break;
                case PythonString s:
                    text = numeric ? s.Value : Quote(s.Value);
                    break;
                case PythonBoolean b:
                    text = b.Value ? "True" : "False";
                    break;
                case PythonNone when setting.ValueKind == SettingValueKind.List:
                    converted = SettingValue.List([]);
                    return true;
                case PythonNone:
                    text = "None";
                    break;
                case PythonList list when setting.ValueKind == SettingValueKind.List:
                    if (list.Items.All(i => i is PythonString))
                    {
                        converted = SettingParsing.Redact(SettingValue.List(list.Items.Select(i => ((PythonString)i).Value)));
                        return true;
                    }

                    problem = $"Invalid value '{shown}' for Gunicorn setting '{setting.Name}': every item must be a string (Gunicorn: 'Not a string'); ignored";
                    return false;
                case PythonDict dict when setting.Validator == "validate_dict":
                    converted = SettingValue.FromText(SettingParsing.Shorten(Flatten(dict.Text)));
                    return true;
                case PythonReference reference when setting.Validator == "validate_class":
                    converted = SettingValue.FromText(_imports.TryGetValue(reference.Name, out var path) ? path : reference.Name);
                    return true;
                case PythonReference reference:
                    problem = CannotRead(setting.Name, shown, $"'{reference.Name}' is not a value defined earlier in the file");
                    return false;
                default:
                    problem = $"Invalid value '{shown}' for Gunicorn setting '{setting.Name}': a {Describe(value)} is not accepted; ignored";
                    return false;
            }

            if (SettingParsing.TryParse(setting, text, out converted, out var error))
            {
                return true;
            }

            if (value is PythonString)
            {
                // Show the value as the file writes it, not as it was quoted for the validator.
                error = error.Replace($"Invalid value '{text}'", $"Invalid value {shown}", StringComparison.Ordinal);
            }

            problem = error.TrimEnd('.') + (text.Contains('$', StringComparison.Ordinal) ? " ('$' is not expanded in Python); ignored" : "; ignored");
            return false;
        }

        private void EnvironmentSetDefault(string text, long line)
        {
            var value = PythonExpression.Evaluate(text, Lookup);
            if (value.Environment.Count == 1)
            {
                Environment(value.Environment[0], value with { Environment = [] }, $"os.environ.setdefault(\"{value.Environment[0]}\")", line);
            }
        }

        private void EnvironmentAssignment(string target, PythonValue value, long line)
        {
            var open = target.IndexOf('[', StringComparison.Ordinal);
            var key = PythonExpression.Evaluate(target[(open + 1)..].TrimEnd().TrimEnd(']'), Lookup);
            if (key is PythonString { Environment.Count: 0 } name)
            {
                Environment(name.Value, value, $"os.environ[\"{name.Value}\"]", line);
            }
        }

        private void Environment(string name, PythonValue value, string writtenAs, long line)
        {
            if (name is "WEB_CONCURRENCY" or "PORT" or "FORWARDED_ALLOW_IPS")
            {
                context.Warn(line, $"setting the environment variable {name} in the configuration file comes too late: Gunicorn read it for its "
                    + "defaults before loading the file; ignored");
                return;
            }

            var text = value switch
            {
                PythonString s => s.Value,
                PythonNumber { IsLiteral: true } n => n.Text,
                _ => null,
            };
            if (text is null)
            {
                return;
            }

            if (_parameters++ < MaximumParameters)
            {
                context.Add(new ConfigParameter(ConfigurationScope.Platform, name, SettingValue.FromText(SettingParsing.RedactValue(name, text)),
                    SettingOrigin.ConfigurationFile, context.At(line)) { WrittenAs = writtenAs });
            }
        }

        private void Add(GunicornSetting setting, SettingValue value, string writtenAs, long line)
        {
            if (_parameters >= MaximumParameters)
            {
                if (_parameters++ == MaximumParameters)
                {
                    context.Warn(line, $"more than {MaximumParameters} settings in one file; the rest are not read");
                }

                return;
            }

            _parameters++;
            context.Add(new ConfigParameter(ConfigurationScope.Gunicorn, setting.Name, value, SettingOrigin.ConfigurationFile, context.At(line))
            {
                WrittenAs = writtenAs,
            });
        }

        private void Remember(string name, PythonValue value)
        {
            var size = value switch
            {
                PythonString s => s.Value.Length,
                PythonNumber n => n.Text.Length,
                PythonDict d => d.Text.Length,
                PythonList l => l.Items.Count * 16,
                _ => 0,
            };
            if (value is PythonUnknown || size > MaximumRememberedLength)
            {
                _variables.Remove(name);
                return;
            }

            if (_variables.Count < MaximumVariables || _variables.ContainsKey(name))
            {
                _variables[name] = value;
            }
        }

        private PythonValue? Lookup(string name) => _variables.GetValueOrDefault(name);

        /// <summary>
        /// The names a statement assigns (<c>a = b = 1</c> gives both; <c>x: int = 1</c> gives x), with the value's text; null for
        /// anything that is not an assignment. <paramref name="augmented"/> is set for <c>+=</c> and its relatives.
        /// </summary>
        private static List<string>? Targets(string text, out string valueText, out string? augmented, out List<string> unpacked)
        {
            valueText = string.Empty;
            augmented = null;
            unpacked = [];
            if (!PythonTokenizer.TryTokenize(text, out var tokens, out _))
            {
                return FallbackTarget(text, out valueText);
            }

            var equals = new List<int>();
            var depth = 0;
            for (var i = 0; i < tokens.Count; i++)
            {
                var token = tokens[i];
                if (token.Kind != PythonTokenKind.Operator)
                {
                    if (token.IsName("lambda") && depth == 0)
                    {
                        break;
                    }

                    continue;
                }

                depth += token.Text switch { "(" or "[" or "{" => 1, ")" or "]" or "}" => -1, _ => 0 };
                if (depth != 0)
                {
                    continue;
                }

                if (token.Text == "=")
                {
                    equals.Add(i);
                }
                else if (equals.Count == 0 && token.Text.Length >= 2 && token.Text[^1] == '=' && token.Text is not ("==" or "!=" or "<=" or ">=" or ":="))
                {
                    augmented = token.Text;
                    valueText = text[token.End..];
                    return Names(tokens, 0, i);
                }
            }

            if (equals.Count == 0)
            {
                return null;
            }

            var targets = new List<string>();
            var start = 0;
            foreach (var index in equals)
            {
                var segment = Names(tokens, start, index);
                if (segment is null)
                {
                    // os.environ["X"] = "1": an environment variable set by the file.
                    if (IsEnvironmentTarget(tokens, start, index))
                    {
                        targets.Add(text[tokens[start].Start..tokens[index - 1].End]);
                    }
                }
                else if (segment.Count == 1 && tokens[start].Kind == PythonTokenKind.Name && (index - start == 1 || tokens[start + 1].Is(":")))
                {
                    targets.Add(segment[0]);
                }
                else
                {
                    unpacked.AddRange(segment);
                }

                start = index + 1;
            }

            valueText = text[tokens[equals[^1]].End..];
            return targets;
        }

        /// <summary>A target list of names (<c>a</c>, <c>a: int</c>, <c>a, b</c>); null for attributes and subscripts.</summary>
        private static List<string>? Names(List<PythonToken> tokens, int start, int end)
        {
            if (end <= start)
            {
                return null;
            }

            if (tokens[start].Kind == PythonTokenKind.Name && (end - start == 1 || tokens[start + 1].Is(":")))
            {
                return [tokens[start].Text];
            }

            var names = new List<string>();
            for (var i = start; i < end; i++)
            {
                var token = tokens[i];
                if (token.Kind == PythonTokenKind.Name)
                {
                    if (i + 1 < end && (tokens[i + 1].Is(".") || tokens[i + 1].Is("[")))
                    {
                        return null;
                    }

                    names.Add(token.Text);
                }
                else if (!(token.Is(",") || token.Is("(") || token.Is(")") || token.Is("[") || token.Is("]") || token.Is("*")))
                {
                    return null;
                }
            }

            // Unpacking (a, b = …) cannot be matched to values statically: report the names so settings among them are warned about.
            return names;
        }

        private static bool IsEnvironmentTarget(List<PythonToken> tokens, int start, int end) =>
            end - start >= 4 && tokens[end - 1].Is("]") && tokens[end - 2].Kind == PythonTokenKind.String && tokens[end - 3].Is("[")
            && ((end - start == 4 && tokens[start].IsName("environ"))
                || (end - start == 6 && tokens[start].IsName("os") && tokens[start + 1].Is(".") && tokens[start + 2].IsName("environ")));

        private static List<string>? FallbackTarget(string text, out string valueText)
        {
            valueText = string.Empty;
            var name = LeadingWord(text);
            if (name.Length == 0)
            {
                return null;
            }

            var rest = text.AsSpan(name.Length).TrimStart();
            if (rest.Length == 0 || rest[0] != '=' || (rest.Length > 1 && rest[1] == '='))
            {
                return null;
            }

            valueText = rest[1..].ToString();
            return [name];
        }

        private static string LeadingWord(string text)
        {
            var length = 0;
            while (length < text.Length && (char.IsLetterOrDigit(text[length]) || text[length] == '_'))
            {
                length++;
            }

            return text[..length];
        }

        private static IEnumerable<string> SplitSemicolons(string text)
        {
            if (!text.Contains(';', StringComparison.Ordinal))
            {
                yield return text;
                yield break;
            }

            var depth = 0;
            var quote = '\0';
            var triple = false;
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quote != '\0')
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == quote && (!triple || (i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote)))
                    {
                        i += triple ? 2 : 0;
                        quote = '\0';
                    }

                    continue;
                }

                switch (c)
                {
                    case '\'' or '"':
                        quote = c;
                        triple = i + 2 < text.Length && text[i + 1] == c && text[i + 2] == c;
                        i += triple ? 2 : 0;
                        break;
                    case '(' or '[' or '{':
                        depth++;
                        break;
                    case ')' or ']' or '}':
                        depth = Math.Max(0, depth - 1);
                        break;
                    case ';' when depth == 0:
                        yield return text[start..i];
                        start = i + 1;
                        break;
                }
            }

            yield return text[start..];
        }

        private static bool IsSetting(string name, [MaybeNullWhen(false)] out GunicornSetting setting) =>
            GunicornSettingCatalog.TryResolve(name, out setting) && setting.Name == name;

        private static bool IsLowerSnake(string name) =>
            name.Length > 0 && char.IsAsciiLetterLower(name[0]) && !name.AsSpan().ContainsAnyExcept(LowerSnake);

        private static int? Arity(GunicornSetting setting)
        {
            const string Prefix = "validate_callable(";
            return setting.Validator.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(setting.Validator.AsSpan(Prefix.Length).TrimEnd(')'), NumberStyles.None, CultureInfo.InvariantCulture, out var arity)
                ? arity
                : null;
        }

        /// <summary>The positional parameters of a <c>def</c> from the text after its '('; null when it takes <c>*args</c> or cannot be counted.</summary>
        private static int? ParameterCount(string text)
        {
            var depth = 0;
            var count = 0;
            var current = 0;
            foreach (var c in text)
            {
                if (depth == 0 && c == ')')
                {
                    return current > 0 ? count + 1 : count;
                }

                switch (c)
                {
                    case '(' or '[' or '{':
                        depth++;
                        break;
                    case ')' or ']' or '}':
                        depth--;
                        break;
                    case '*' when depth == 0:
                        return null;
                    case ',' when depth == 0:
                        count++;
                        current = 0;
                        continue;
                }

                if (!char.IsWhiteSpace(c))
                {
                    current++;
                }
            }

            return null;
        }

        private static string CannotRead(string name, string shown, string reason) =>
            $"'{name} = {shown}' cannot be read without executing the file ({reason}); ignored";

        private static string Quote(string value) => "'" + value + "'";

        private static bool HasLeadingZero(string literal) =>
            literal.Length > 1 && literal[0] == '0' && char.IsAsciiDigit(literal[1]) && literal.AsSpan().ContainsAnyInRange('1', '9');

        private static string Flatten(string text) =>
            string.Join(' ', text.Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

        private static string Describe(PythonValue value) => value switch
        {
            PythonList => "list",
            PythonDict => "dict",
            PythonCallable => "lambda",
            PythonBoolean => "boolean",
            _ => "value of this kind",
        };
    }
}
