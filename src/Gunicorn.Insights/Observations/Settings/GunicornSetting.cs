using System.Globalization;

namespace Gunicorn.Insights.Observations.Settings;

/// <summary>
/// One of Gunicorn's settings as <c>gunicorn/config.py</c> defines it: its name, its command-line flags, the type its
/// validator produces, its documented default and the releases it exists in. <see cref="Parse"/> reads a value the way
/// Gunicorn's validator would.
/// </summary>
public sealed record GunicornSetting
{
    /// <summary>The setting name, as written in a config file (<c>worker_class</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The command-line flags, short ones first (<c>-k</c>, <c>--worker-class</c>); empty for config-file-only settings.</summary>
    public IReadOnlyList<string> CommandLineFlags { get; init; } = [];

    /// <summary>The type of the value: timeouts are <see cref="SettingValueKind.Duration"/>s in seconds, counts integers, flags booleans.</summary>
    public required SettingValueKind ValueKind { get; init; }

    /// <summary>
    /// The default Gunicorn applies when nobody sets the setting; <see langword="null"/> when the default is <c>None</c>
    /// or depends on the machine (the user, the working directory, the platform's syslog socket, server hooks).
    /// </summary>
    public SettingValue? Default { get; init; }

    /// <summary>The default as Gunicorn documents it, including environment-dependent and machine-dependent defaults.</summary>
    public required string DefaultDescription { get; init; }

    /// <summary>
    /// The environment variable Gunicorn reads for this setting (<c>WEB_CONCURRENCY</c> for <c>workers</c>, <c>PORT</c> for
    /// <c>bind</c>, <c>FORWARDED_ALLOW_IPS</c>, <c>SENDFILE</c>); <see langword="null"/> for most settings.
    /// </summary>
    public string? EnvironmentVariable { get; init; }

    /// <summary>The section of Gunicorn's settings documentation (<c>Worker Processes</c>, <c>Logging</c>, …).</summary>
    public required string Section { get; init; }

    /// <summary>The name of Gunicorn's validator for the setting (<c>validate_pos_int</c>, <c>validate_bool</c>, …).</summary>
    public required string Validator { get; init; }

    /// <summary>True when the setting only has an effect on the command line (<c>config</c>: a config file cannot name another one).</summary>
    public bool IsCommandLineOnly { get; init; }

    /// <summary>True when the setting has no command-line flag and can only be set in a config file.</summary>
    public bool IsConfigFileOnly => CommandLineFlags.Count == 0;

    /// <summary>True for server hooks (<c>post_fork</c>, <c>worker_abort</c>, …): callables, not values.</summary>
    public bool IsServerHook => Section.EndsWith("Hooks", StringComparison.Ordinal);

    /// <summary>True when repeated command-line flags accumulate into one list (argparse <c>action="append"</c>: <c>bind</c>, <c>raw_env</c>).</summary>
    public bool Accumulates { get; init; }

    /// <summary>
    /// The value a command-line flag without an argument stores: <c>True</c> for <c>--preload</c> and the other
    /// <c>store_true</c> flags, <c>False</c> for <c>--no-sendfile</c>; <see langword="null"/> for flags that take an argument.
    /// </summary>
    public SettingValue? FlagValue { get; init; }

    /// <summary>The values the validator accepts, for settings restricted to a fixed set (<c>reload_engine</c>, <c>header_map</c>).</summary>
    public IReadOnlyList<string>? AllowedValues { get; init; }

    /// <summary>The smallest accepted number for integer and duration settings (Gunicorn rejects negatives).</summary>
    public long Minimum { get; init; }

    /// <summary>The largest accepted number, where the validator has one (<c>http2_max_frame_size</c>).</summary>
    public long? Maximum { get; init; }

    /// <summary>
    /// True when a number with a leading zero is read as octal (<c>--umask 022</c>), as Gunicorn's <c>auto_int</c> does;
    /// otherwise a leading zero is an error, as in Python's <c>int(value, 0)</c>.
    /// </summary>
    public bool ReadsLeadingZeroAsOctal { get; init; }

    /// <summary>
    /// The first checked release (19.9.0, 20.1.0, 21.2.0, 22.0.0, 23.0.0, 26.1.0) that has the setting;
    /// <see langword="null"/> when 19.9.0 already has it.
    /// </summary>
    public string? IntroducedIn { get; init; }

    /// <summary>The first checked release that no longer has the setting; <see langword="null"/> while it exists.</summary>
    public string? RemovedIn { get; init; }

    /// <summary>The name with dashes, as flags and some generated configs spell it (<c>worker-class</c>).</summary>
    public string DashedName => Name.Replace('_', '-');

    /// <summary>
    /// Reads <paramref name="text"/>, a value as a config file, a command line or an environment variable gives it,
    /// into a typed value the way Gunicorn's validator does: integers with Python's <c>int(value, 0)</c> rules
    /// (<c>0x10</c> is 16, negatives are rejected), booleans as <c>true</c>/<c>false</c> in any letter case, lists from a
    /// single item, a Python list literal or (for comma-separated settings) a comma-separated string. Integer settings
    /// also take the arithmetic a Python config file may hold (<c>5 * 60</c>, <c>multiprocessing.cpu_count() * 2 + 1</c>).
    /// One pair of surrounding quotes (a Python string literal) is removed.
    /// </summary>
    /// <exception cref="FormatException">Gunicorn's validator would reject the value; the message names the setting and the value.</exception>
    public SettingValue Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();

        // A bare None is Python's "unset", which the validators of settings without a default accept.
        if (trimmed == "None" && Default is null && ValueKind is SettingValueKind.Text or SettingValueKind.Boolean)
        {
            return SettingValue.FromText("None");
        }

        return ValueKind switch
        {
            SettingValueKind.Integer or SettingValueKind.CpuFormula => ParseInteger(trimmed, text),
            SettingValueKind.Duration => ParseDuration(trimmed, text),
            SettingValueKind.Boolean => ParseBoolean(trimmed, text),
            SettingValueKind.List => ParseList(trimmed),
            _ => ParseText(trimmed, text),
        };
    }

    private SettingValue ParseInteger(string trimmed, string original)
    {
        if (PythonNumber.TryParseInteger(trimmed, ReadsLeadingZeroAsOctal, out var number, out var overflow))
        {
            return SettingValue.Integer(CheckRange(number, original));
        }

        if (overflow)
        {
            throw Invalid(original, "the number is too large");
        }

        if (!LinearExpression.TryEvaluate(trimmed, out var multiplier, out var offset))
        {
            throw Invalid(original, "expected a non-negative integer (decimal, 0x hex, 0o octal or 0b binary)");
        }

        if (multiplier == 0)
        {
            return SettingValue.Integer(CheckRange(ToWholeNumber(offset, original), original));
        }

        if (offset != Math.Floor(offset))
        {
            throw Invalid(original, "a CPU formula must add a whole number");
        }

        return SettingValue.CpuFormula(trimmed, multiplier, (long)offset);
    }

    private SettingValue ParseDuration(string trimmed, string original)
    {
        long seconds;
        if (PythonNumber.TryParseInteger(trimmed, ReadsLeadingZeroAsOctal, out var number, out var overflow))
        {
            seconds = number;
        }
        else if (overflow)
        {
            throw Invalid(original, "the number is too large");
        }
        else if (LinearExpression.TryEvaluate(trimmed, out var multiplier, out var offset) && multiplier == 0)
        {
            seconds = ToWholeNumber(offset, original);
        }
        else
        {
            throw Invalid(original, "expected a non-negative whole number of seconds");
        }

        return SettingValue.Seconds(CheckRange(seconds, original));
    }

    private SettingValue ParseBoolean(string trimmed, string original)
    {
        // Gunicorn's validate_bool takes Python's True/False or the strings "true"/"false" in any case, and nothing else.
        var value = PythonLiteral.Unquote(trimmed).Trim();
        if (string.Equals(value, "true", StringComparison.OrdinalIgnoreCase))
        {
            return SettingValue.Boolean(true);
        }

        if (string.Equals(value, "false", StringComparison.OrdinalIgnoreCase))
        {
            return SettingValue.Boolean(false);
        }

        throw Invalid(original, "expected True or False (Gunicorn accepts only true/false, in any letter case)");
    }

    private SettingValue ParseList(string trimmed)
    {
        if (PythonLiteral.TrySplitSequence(trimmed, out var items))
        {
            return SettingValue.List(items);
        }

        var value = PythonLiteral.Unquote(trimmed);
        if (Validator is "validate_string_to_list" or "validate_string_to_addr_list")
        {
            return SettingValue.List(value.Split(',').Select(i => i.Trim()).Where(i => i.Length > 0));
        }

        // An empty value is an empty list, as validate_list_string treats falsy values.
        return SettingValue.List(value.Trim().Length == 0 ? [] : [value.Trim()]);
    }

    private SettingValue ParseText(string trimmed, string original)
    {
        var value = PythonLiteral.Unquote(trimmed).Trim();
        if (AllowedValues is not { } allowed)
        {
            return SettingValue.FromText(value);
        }

        var exact = allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.Ordinal));
        if (exact is not null)
        {
            return SettingValue.FromText(exact);
        }

        // header_map is compared case-insensitively by its validator; reload_engine is not.
        var folded = Validator == "validate_header_map_behaviour"
            ? allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
            : null;
        return folded is not null
            ? SettingValue.FromText(folded)
            : throw Invalid(original, "expected one of " + string.Join(", ", allowed));
    }

    private long CheckRange(long value, string original)
    {
        if (value < Minimum)
        {
            throw Invalid(original, Minimum == 0 ? "the value must not be negative" : $"the value must be at least {Minimum.ToString(CultureInfo.InvariantCulture)}");
        }

        return Maximum is { } maximum && value > maximum
            ? throw Invalid(original, $"the value must be at most {maximum.ToString(CultureInfo.InvariantCulture)}")
            : value;
    }

    private long ToWholeNumber(double value, string original)
    {
        if (value != Math.Floor(value) || double.IsInfinity(value) || Math.Abs(value) > long.MaxValue / 2)
        {
            throw Invalid(original, "expected a whole number");
        }

        return (long)value;
    }

    private FormatException Invalid(string value, string reason) =>
        new($"Invalid value '{value}' for Gunicorn setting '{Name}': {reason}.");

    /// <summary>Python integer literals, as <c>int(text, 0)</c> reads them.</summary>
    private static class PythonNumber
    {
        public static bool TryParseInteger(string text, bool leadingZeroOctal, out long value, out bool overflow)
        {
            value = 0;
            overflow = false;
            var s = text.AsSpan();
            var negative = false;
            if (s.Length > 0 && (s[0] == '+' || s[0] == '-'))
            {
                negative = s[0] == '-';
                s = s[1..];
            }

            if (s.Length == 0)
            {
                return false;
            }

            var radix = 10;
            if (s.Length >= 2 && s[0] == '0' && char.IsAsciiLetter(s[1]))
            {
                radix = char.ToUpperInvariant(s[1]) switch { 'X' => 16, 'O' => 8, 'B' => 2, _ => 0 };
                if (radix == 0)
                {
                    return false;
                }

                // Python allows one underscore right after the base prefix (0x_ff).
                s = s.Length > 2 && s[2] == '_' ? s[3..] : s[2..];
            }
            else if (s.Length >= 2 && s[0] == '0' && char.IsAsciiDigit(s[1]))
            {
                if (leadingZeroOctal)
                {
                    radix = 8;
                    s = s[1..];
                }
                else if (s.ContainsAnyExcept('0', '_'))
                {
                    // Python 3 refuses decimal literals with leading zeros ("010").
                    return false;
                }
            }

            if (s.Length == 0 || s[0] == '_' || s[^1] == '_' || s.IndexOf("__", StringComparison.Ordinal) >= 0)
            {
                return false;
            }

            long result = 0;
            foreach (var c in s)
            {
                if (c == '_')
                {
                    continue;
                }

                var digit = c switch
                {
                    >= '0' and <= '9' => c - '0',
                    >= 'a' and <= 'f' => c - 'a' + 10,
                    >= 'A' and <= 'F' => c - 'A' + 10,
                    _ => int.MaxValue,
                };
                if (digit >= radix)
                {
                    return false;
                }

                try
                {
                    result = checked((result * radix) + digit);
                }
                catch (OverflowException)
                {
                    overflow = true;
                    return false;
                }
            }

            value = negative ? -result : result;
            return true;
        }
    }

    /// <summary>Python string and sequence literals, as config files and the <c>Current configuration:</c> dump write them.</summary>
    private static class PythonLiteral
    {
        public static string Unquote(string text) =>
            text.Length >= 2 && (text[0] == '\'' || text[0] == '"') && text[^1] == text[0] ? text[1..^1] : text;

        public static bool TrySplitSequence(string text, out List<string> items)
        {
            items = [];
            if (text.Length < 2 || !((text[0] == '[' && text[^1] == ']') || (text[0] == '(' && text[^1] == ')')))
            {
                return false;
            }

            var inner = text[1..^1];
            var current = new System.Text.StringBuilder();
            char? quote = null;
            foreach (var c in inner)
            {
                if (quote is { } q)
                {
                    current.Append(c);
                    if (c == q)
                    {
                        quote = null;
                    }
                }
                else if (c is '\'' or '"')
                {
                    quote = c;
                    current.Append(c);
                }
                else if (c == ',')
                {
                    Add(items, current);
                }
                else
                {
                    current.Append(c);
                }
            }

            Add(items, current);
            return true;
        }

        private static void Add(List<string> items, System.Text.StringBuilder current)
        {
            var item = Unquote(current.ToString().Trim()).Trim();
            current.Clear();
            if (item.Length > 0)
            {
                items.Add(item);
            }
        }
    }

    /// <summary>
    /// Arithmetic that is linear in the CPU count (<c>multiprocessing.cpu_count() * 2 + 1</c>, <c>5 * 60</c>), as Python
    /// config files compute worker counts and timeouts.
    /// </summary>
    private sealed class LinearExpression
    {
        private readonly List<string> _tokens;
        private int _position;

        private const int MaximumTokens = 256;
        private const int MaximumExpressionLength = 4096;

        private LinearExpression(List<string> tokens) => _tokens = tokens;

        public static bool TryEvaluate(string text, out double multiplier, out double offset)
        {
            multiplier = 0;
            offset = 0;
            // Recursion depth never exceeds the token count, so bounding the tokens bounds the stack whatever the input.
            if (text.Length > MaximumExpressionLength || !TryTokenize(text, out var tokens) || tokens.Count == 0 || tokens.Count > MaximumTokens)
            {
                return false;
            }

            var parser = new LinearExpression(tokens);
            if (!parser.TryExpression(out var value) || parser._position != tokens.Count)
            {
                return false;
            }

            (multiplier, offset) = value;
            return true;
        }

        private static bool TryTokenize(string text, out List<string> tokens)
        {
            tokens = [];
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.')
                {
                    var start = i;
                    while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                    {
                        i++;
                    }

                    tokens.Add(text[start..i]);
                }
                else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
                {
                    tokens.Add("//");
                    i += 2;
                }
                else if (c is '+' or '-' or '*' or '/' or '(' or ')' or ',' or '=')
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                else
                {
                    return false;
                }
            }

            return true;
        }

        private string? Peek => _position < _tokens.Count ? _tokens[_position] : null;

        private bool TryExpression(out (double Cpu, double Constant) value)
        {
            if (!TryTerm(out value))
            {
                return false;
            }

            while (Peek is "+" or "-")
            {
                var sign = _tokens[_position++] == "+" ? 1 : -1;
                if (!TryTerm(out var right))
                {
                    return false;
                }

                value = (value.Cpu + (sign * right.Cpu), value.Constant + (sign * right.Constant));
            }

            return true;
        }

        private bool TryTerm(out (double Cpu, double Constant) value)
        {
            if (!TryUnary(out value))
            {
                return false;
            }

            while (Peek is "*" or "/" or "//")
            {
                var op = _tokens[_position++];
                if (!TryUnary(out var right))
                {
                    return false;
                }

                if (op == "*")
                {
                    // Only a constant may scale the CPU count; cpu * cpu is not linear.
                    if (value.Cpu != 0 && right.Cpu != 0)
                    {
                        return false;
                    }

                    value = value.Cpu != 0
                        ? (value.Cpu * right.Constant, value.Constant * right.Constant)
                        : (right.Cpu * value.Constant, right.Constant * value.Constant);
                    continue;
                }

                if (right.Cpu != 0 || right.Constant == 0)
                {
                    return false;
                }

                value = op == "//" && value.Cpu == 0
                    ? (0, Math.Floor(value.Constant / right.Constant))
                    : (value.Cpu / right.Constant, value.Constant / right.Constant);
            }

            return true;
        }

        private bool TryUnary(out (double Cpu, double Constant) value)
        {
            if (Peek is "+" or "-")
            {
                var sign = _tokens[_position++] == "+" ? 1 : -1;
                if (!TryUnary(out value))
                {
                    return false;
                }

                value = (sign * value.Cpu, sign * value.Constant);
                return true;
            }

            return TryPrimary(out value);
        }

        private bool TryPrimary(out (double Cpu, double Constant) value)
        {
            value = default;
            var token = Peek;
            if (token is null)
            {
                return false;
            }

            if (token == "(")
            {
                _position++;
                return TryExpression(out value) && TryTake(")");
            }

            if (char.IsAsciiDigit(token[0]))
            {
                _position++;
                if (PythonNumber.TryParseInteger(token, leadingZeroOctal: false, out var integer, out _))
                {
                    value = (0, integer);
                    return true;
                }

                // Only a literal with a decimal point is a float; "010" is an error in Python 3, not ten.
                if (token.Contains('.', StringComparison.Ordinal)
                    && double.TryParse(token.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowDecimalPoint,
                        CultureInfo.InvariantCulture, out var real))
                {
                    value = (0, real);
                    return true;
                }

                return false;
            }

            _position++;
            if (token == "cpu_count" || token.EndsWith(".cpu_count", StringComparison.Ordinal))
            {
                // multiprocessing.cpu_count(), os.cpu_count(), psutil.cpu_count(logical=True): arguments do not matter.
                value = (1, 0);
                return SkipArguments();
            }

            if (token == "len" && TryTake("(") && Peek is { } inner
                && (inner == "sched_getaffinity" || inner.EndsWith(".sched_getaffinity", StringComparison.Ordinal)))
            {
                // len(os.sched_getaffinity(0)): the CPUs the process may run on.
                _position++;
                value = (1, 0);
                return SkipArguments() && TryTake(")");
            }

            if (token is "int" or "round" or "math.floor" or "math.ceil")
            {
                if (!TryTake("(") || !TryExpression(out value) || !TryTake(")"))
                {
                    return false;
                }

                // A constant is rounded now; a CPU formula is truncated once it is evaluated.
                if (value.Cpu == 0)
                {
                    value = (0, token switch
                    {
                        "round" => Math.Round(value.Constant, MidpointRounding.ToEven),
                        "math.ceil" => Math.Ceiling(value.Constant),
                        "math.floor" => Math.Floor(value.Constant),
                        _ => Math.Truncate(value.Constant),
                    });
                }

                return true;
            }

            return false;
        }

        private bool SkipArguments()
        {
            if (!TryTake("("))
            {
                return false;
            }

            var depth = 1;
            while (_position < _tokens.Count)
            {
                var token = _tokens[_position++];
                depth += token switch { "(" => 1, ")" => -1, _ => 0 };
                if (depth == 0)
                {
                    return true;
                }
            }

            return false;
        }

        private bool TryTake(string token)
        {
            if (Peek != token)
            {
                return false;
            }

            _position++;
            return true;
        }
    }
}
