using System.Buffers;
using System.Text;

namespace Gunicorn.Insights.Readers.GunicornConfig;

/// <summary>
/// Reads a Python expression without running it: literals (numbers, strings, booleans, <c>None</c>, lists, tuples, dicts),
/// arithmetic on numbers and the CPU count (kept as text for <c>GunicornSetting.Parse</c>), string concatenation and simple
/// f-strings, <c>os.environ.get(NAME, default)</c> and its relatives (the default, noting the variable), <c>int()</c>,
/// <c>str()</c>, and names of earlier module-level values. Anything else is a <see cref="PythonUnknown"/> saying why.
/// Nesting is bounded, so no input can exhaust the stack.
/// </summary>
internal sealed class PythonExpression
{
    /// <summary>How deeply brackets and calls may nest before the expression is given up.</summary>
    public const int MaximumDepth = 40;

    private static readonly string[] EnvironmentGetters =
        ["os.environ.get", "environ.get", "os.getenv", "getenv", "os.environ.setdefault", "environ.setdefault"];

    /// <summary>The longest string or expression text built from parts; longer ones are given up.</summary>
    private const int MaximumTextLength = 64 * 1024;

    /// <summary>The most items a list built from parts may have.</summary>
    private const int MaximumItems = 10_000;

    private static readonly SearchValues<char> ZeroDigits = SearchValues.Create("0.");

    private static readonly SearchValues<char> DecimalDigits = SearchValues.Create("0123456789_");

    private static readonly string[] Comparisons = ["==", "!=", "<", ">", "<=", ">="];

    private readonly string _source;
    private readonly List<PythonToken> _tokens;
    private readonly Func<string, PythonValue?> _lookup;
    private int _position;
    private int _depth;
    private int _substitutions;

    private PythonExpression(string source, List<PythonToken> tokens, Func<string, PythonValue?> lookup, int depth)
    {
        _source = source;
        _tokens = tokens;
        _lookup = lookup;
        _depth = depth;
    }

    /// <summary>Reads <paramref name="source"/>; names are looked up with <paramref name="lookup"/>.</summary>
    public static PythonValue Evaluate(string source, Func<string, PythonValue?> lookup) => Evaluate(source, lookup, 0);

    private static PythonValue Evaluate(string source, Func<string, PythonValue?> lookup, int depth)
    {
        if (!PythonTokenizer.TryTokenize(source, out var tokens, out var error))
        {
            return new PythonUnknown(error);
        }

        if (tokens.Count == 0)
        {
            return new PythonUnknown("there is no value");
        }

        var parser = new PythonExpression(source, tokens, lookup, depth);
        var value = parser.ExpressionList();
        if (value is PythonUnknown)
        {
            return value;
        }

        return parser._position < tokens.Count
            ? new PythonUnknown($"'{tokens[parser._position].Text}' is not read")
            : value;
    }

    private PythonToken? Peek => _position < _tokens.Count ? _tokens[_position] : null;

    private bool PeekIs(string op) => Peek is { } token && token.Is(op);

    private bool PeekName(string name) => Peek is { } token && token.IsName(name);

    /// <summary>An expression, or a tuple without brackets (<c>bind = "a", "b"</c>).</summary>
    private PythonValue ExpressionList()
    {
        var first = Expression();
        if (first is PythonUnknown || !PeekIs(","))
        {
            return first;
        }

        var items = new List<PythonValue> { first };
        while (PeekIs(","))
        {
            _position++;
            if (Peek is null)
            {
                break;
            }

            var item = Expression();
            if (item is PythonUnknown)
            {
                return item;
            }

            items.Add(item);
        }

        return new PythonList(items);
    }

    private PythonValue Expression()
    {
        if (++_depth > MaximumDepth)
        {
            return new PythonUnknown("the expression is nested too deeply");
        }

        try
        {
            if (PeekName("lambda"))
            {
                SkipLambda();
                return new PythonCallable();
            }

            var value = Or();
            return value is not PythonUnknown && PeekName("if") ? new PythonUnknown("a conditional expression (… if … else …)") : value;
        }
        finally
        {
            _depth--;
        }
    }

    private PythonValue Or()
    {
        var left = And();
        while (left is not PythonUnknown && PeekName("or"))
        {
            _position++;
            var right = And();
            if (right is PythonUnknown)
            {
                return right;
            }

            left = IsFalsy(left) ? right.WithEnvironment(left.Environment)
                : IsTruthy(left) ? left
                : new PythonUnknown("an 'or' whose left side is not known");
        }

        return left;
    }

    private PythonValue And()
    {
        var left = Not();
        return left is not PythonUnknown && PeekName("and") ? new PythonUnknown("an 'and' expression") : left;
    }

    private PythonValue Not()
    {
        if (PeekName("not"))
        {
            return new PythonUnknown("a 'not' expression");
        }

        var left = Arithmetic();
        if (left is PythonUnknown)
        {
            return left;
        }

        if (Peek is { } next && ((next.Kind == PythonTokenKind.Operator && Comparisons.Contains(next.Text)) || next.IsName("in") || next.IsName("is")
            || (next.IsName("not") && _position + 1 < _tokens.Count && _tokens[_position + 1].IsName("in"))))
        {
            return new PythonUnknown("a comparison");
        }

        return Peek is { Kind: PythonTokenKind.Operator } bit && bit.Text is "|" or "&" or "^" or "<<" or ">>"
            ? new PythonUnknown($"the '{bit.Text}' operator")
            : left;
    }

    private PythonValue Arithmetic() => Chain(Term, "+", "-");

    private PythonValue Term() => Chain(Factor, "*", "/", "//", "%", "@");

    /// <summary>
    /// A left-associative chain of one precedence level (<c>a + b - c</c>), combined once at its end so long chains cost
    /// time in proportion to their length.
    /// </summary>
    private PythonValue Chain(Func<PythonValue> operand, params string[] operators)
    {
        var start = _position;
        var substitutions = _substitutions;
        var first = operand();
        if (first is PythonUnknown || Peek is not { Kind: PythonTokenKind.Operator } next || !operators.Contains(next.Text))
        {
            return first;
        }

        var items = new List<(string Operator, PythonValue Value)> { (string.Empty, first) };
        while (Peek is { Kind: PythonTokenKind.Operator } op && operators.Contains(op.Text))
        {
            _position++;
            var right = operand();
            if (right is PythonUnknown)
            {
                return right;
            }

            if (op.Text is "%" or "@")
            {
                return new PythonUnknown($"the '{op.Text}' operator");
            }

            items.Add((op.Text, right));
        }

        return Combine(items, start, substitutions);
    }    private PythonValue Factor()
    {
        if (Peek is { Kind: PythonTokenKind.Operator } op && op.Text is "+" or "-" or "~")
        {
            if (++_depth > MaximumDepth)
            {
                _depth--;
                return new PythonUnknown("the expression is nested too deeply");
            }

            var start = _position;
            var substitutions = _substitutions;
            _position++;
            var operand = Factor();
            _depth--;
            if (operand is PythonUnknown)
            {
                return operand;
            }

            return operand is PythonNumber number && op.Text != "~"
                ? new PythonNumber(substitutions == _substitutions ? Slice(start) : op.Text + number.Text, number.IsLiteral) { Environment = number.Environment }
                : new PythonUnknown($"the unary '{op.Text}' on something that is not a number");
        }

        var value = Primary();
        return value is not PythonUnknown && PeekIs("**") ? new PythonUnknown("the ** operator") : value;
    }

    private PythonValue Primary()
    {
        if (Peek is not { } token)
        {
            return new PythonUnknown("the expression ends early");
        }

        switch (token.Kind)
        {
            case PythonTokenKind.Number:
                _position++;
                return NoTrailer(new PythonNumber(token.Text, IsLiteral: true));
            case PythonTokenKind.String:
                return NoTrailer(Strings());
            case PythonTokenKind.Name:
                return Name();
        }

        if (token.Is("("))
        {
            return NoTrailer(Parenthesised());
        }

        if (token.Is("["))
        {
            return NoTrailer(ListLiteral());
        }

        if (token.Is("{"))
        {
            var start = _position;
            return SkipBalanced() ? NoTrailer(new PythonDict(Slice(start))) : new PythonUnknown("a '{' is not closed");
        }

        return new PythonUnknown($"'{token.Text}' is not read");
    }

    /// <summary>A value followed by <c>.method()</c>, <c>[index]</c> or a call is not read.</summary>
    private PythonValue NoTrailer(PythonValue value) =>
        value is not PythonUnknown && Peek is { } next && (next.Is(".") || next.Is("(") || next.Is("["))
            ? new PythonUnknown(next.Is(".") && _position + 1 < _tokens.Count ? $"a method call ('.{_tokens[_position + 1].Text}')" : "an index or call on a value")
            : value;

    private PythonValue Strings()
    {
        var text = new StringBuilder();
        var environment = new List<string>();
        while (Peek is { Kind: PythonTokenKind.String } token)
        {
            _position++;
            if (token.Prefix.Contains('b', StringComparison.Ordinal))
            {
                return new PythonUnknown("a bytes literal, not a string");
            }

            if (token.Prefix.Contains('f', StringComparison.Ordinal))
            {
                var formatted = FormatString(token.Value ?? string.Empty, raw: token.Prefix.Contains('r', StringComparison.Ordinal));
                if (formatted is not PythonString part)
                {
                    return formatted;
                }

                text.Append(part.Value);
                environment.AddRange(part.Environment);
                _substitutions++;
            }
            else
            {
                text.Append(token.Value);
            }
        }

        return new PythonString(text.ToString()) { Environment = environment.Distinct().ToArray() };
    }

    private PythonValue FormatString(string content, bool raw)
    {
        var result = new StringBuilder();
        var environment = new List<string>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < content.Length)
        {
            var c = content[i];
            if ((c == '{' || c == '}') && i + 1 < content.Length && content[i + 1] == c)
            {
                literal.Append(c);
                i += 2;
                continue;
            }

            if (c == '}')
            {
                return new PythonUnknown("an f-string with a stray '}'");
            }

            if (c != '{')
            {
                literal.Append(c);
                i++;
                continue;
            }

            var close = FieldEnd(content, i + 1);
            if (close < 0)
            {
                return new PythonUnknown("an f-string field that is not closed");
            }

            result.Append(raw ? literal.ToString() : PythonTokenizer.Decode(literal.ToString()));
            literal.Clear();
            var field = content[(i + 1)..close];
            if (_depth + 1 > MaximumDepth)
            {
                return new PythonUnknown("the expression is nested too deeply");
            }

            var value = Evaluate(field, _lookup, _depth + 1);
            switch (value)
            {
                case PythonString s:
                    result.Append(s.Value);
                    break;
                case PythonNumber { IsLiteral: true } n:
                    result.Append(n.Text);
                    break;
                case PythonUnknown:
                    return value;
                default:
                    return new PythonUnknown($"an f-string field '{{{field}}}' that is not a string or number");
            }

            environment.AddRange(value.Environment);
            if (result.Length > MaximumTextLength)
            {
                return new PythonUnknown("the string is too long");
            }

            i = close + 1;
        }

        result.Append(raw ? literal.ToString() : PythonTokenizer.Decode(literal.ToString()));
        return new PythonString(result.ToString()) { Environment = environment };
    }

    /// <summary>The '}' closing an f-string field starting at <paramref name="start"/>; -1 when it has a conversion, a format spec or no end.</summary>
    private static int FieldEnd(string content, int start)
    {
        var depth = 0;
        var quote = '\0';
        for (var i = start; i < content.Length; i++)
        {
            var c = content[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case '(' or '[' or '{':
                    depth++;
                    break;
                case ')' or ']':
                    depth--;
                    break;
                case '}' when depth == 0:
                    return i;
                case '}':
                    depth--;
                    break;
                case '!' when depth == 0 && i + 1 < content.Length && content[i + 1] != '=':
                case ':' when depth == 0:
                    return -1;
            }
        }

        return -1;
    }

    private PythonValue Name()
    {
        var start = _position;
        var first = _tokens[_position++];
        switch (first.Text)
        {
            case "True":
                return NoTrailer(new PythonBoolean(true));
            case "False":
                return NoTrailer(new PythonBoolean(false));
            case "None":
                return NoTrailer(new PythonNone());
            case "lambda":
                _position--;
                SkipLambda();
                return new PythonCallable();
            case "await" or "yield" or "not" or "and" or "or" or "if" or "else" or "for" or "in" or "is":
                return new PythonUnknown($"'{first.Text}' is not read");
        }

        var name = new StringBuilder(first.Text);
        while (PeekIs(".") && _position + 1 < _tokens.Count && _tokens[_position + 1].Kind == PythonTokenKind.Name)
        {
            name.Append('.').Append(_tokens[_position + 1].Text);
            _position += 2;
        }

        var dotted = name.ToString();
        if (PeekIs("("))
        {
            return NoTrailer(Call(dotted, start));
        }

        if (PeekIs("["))
        {
            if (dotted is "os.environ" or "environ" && _position + 2 < _tokens.Count && _tokens[_position + 1].Kind == PythonTokenKind.String
                && _tokens[_position + 2].Is("]"))
            {
                var variable = _tokens[_position + 1].Value ?? string.Empty;
                return new PythonUnknown($"it comes from the environment variable {variable}, which must be set and whose value is not known here");
            }

            return new PythonUnknown($"an index into '{dotted}'");
        }

        if (_lookup(dotted) is { } known)
        {
            _substitutions++;
            return known;
        }

        return new PythonReference(dotted);
    }

    private PythonValue Call(string name, int start)
    {
        var last = name[(name.LastIndexOf('.') + 1)..];
        if (last == "cpu_count")
        {
            // multiprocessing.cpu_count(), os.cpu_count(), psutil.cpu_count(logical=False): arguments do not matter.
            return SkipBalanced() ? new PythonNumber(Slice(start), IsLiteral: false) : new PythonUnknown("a call is not closed");
        }

        if (name == "len")
        {
            if (CallsSchedGetaffinity(_position + 1))
            {
                return SkipBalanced() ? new PythonNumber(Slice(start), IsLiteral: false) : new PythonUnknown("a call is not closed");
            }

            return new PythonUnknown("len() of something other than os.sched_getaffinity()");
        }

        if (name == "dict")
        {
            return SkipBalanced() ? new PythonDict(Slice(start)) : new PythonUnknown("a call is not closed");
        }

        var substitutions = _substitutions;
        if (!Arguments(out var positional, out var keywords, out var failure))
        {
            return failure!;
        }

        if (EnvironmentGetters.Contains(name))
        {
            return Environment(name, positional, keywords);
        }

        if (positional.Count != 1 || keywords.Count != 0)
        {
            return new PythonUnknown($"a call to {name}()");
        }

        var argument = positional[0];
        switch (name)
        {
            case "int":
                return argument switch
                {
                    PythonNumber n => n.IsLiteral ? n : new PythonNumber(substitutions == _substitutions ? Slice(start) : $"int({n.Text})", false) { Environment = n.Environment },
                    PythonString s when IsDecimalInteger(s.Value) => new PythonNumber(s.Value.Trim(), IsLiteral: true) { Environment = s.Environment },
                    PythonString s => new PythonUnknown($"int('{SettingParsing.Shorten(s.Value)}') raises ValueError"),
                    PythonNone { Environment.Count: > 0 } none =>
                        new PythonUnknown($"it is int() of the environment variable {none.Environment[0]}, which has no default, so it fails unless the variable is set"),
                    _ => new PythonUnknown("int() of something that is not a number"),
                };
            case "round" or "math.floor" or "math.ceil":
                return argument is PythonNumber number
                    ? new PythonNumber(substitutions == _substitutions ? Slice(start) : $"{name}({number.Text})", false) { Environment = number.Environment }
                    : new PythonUnknown($"{name}() of something that is not a number");
            case "str":
                return argument switch
                {
                    PythonString s => s,
                    PythonNumber { IsLiteral: true } n => new PythonString(n.Text) { Environment = n.Environment },
                    _ => new PythonUnknown("str() of something that is not a literal"),
                };
            default:
                return new PythonUnknown($"a call to {name}()");
        }
    }

    /// <summary>True when the tokens at <paramref name="index"/> are a call to <c>os.sched_getaffinity</c> (or the bare imported name).</summary>
    private bool CallsSchedGetaffinity(int index)
    {
        var last = string.Empty;
        while (index < _tokens.Count && _tokens[index].Kind == PythonTokenKind.Name)
        {
            last = _tokens[index].Text;
            index++;
            if (index < _tokens.Count && _tokens[index].Is(".") && index + 1 < _tokens.Count && _tokens[index + 1].Kind == PythonTokenKind.Name)
            {
                index++;
                continue;
            }

            break;
        }

        return last == "sched_getaffinity" && index < _tokens.Count && _tokens[index].Is("(");
    }

    private PythonValue Environment(string getter, List<PythonValue> positional, Dictionary<string, PythonValue> keywords)
    {
        if (positional.Count == 0 || positional[0] is not PythonString variable || positional.Count > 2)
        {
            return new PythonUnknown($"{getter}() without a literal variable name");
        }

        var fallback = positional.Count == 2 ? positional[1] : keywords.TryGetValue("default", out var keyword) ? keyword : new PythonNone();
        _substitutions++;
        return fallback is PythonUnknown ? fallback : fallback.WithEnvironment([variable.Value]);
    }

    private bool Arguments(out List<PythonValue> positional, out Dictionary<string, PythonValue> keywords, out PythonValue? failure)
    {
        positional = [];
        keywords = new Dictionary<string, PythonValue>(StringComparer.Ordinal);
        failure = null;
        _position++; // (
        while (true)
        {
            if (Peek is not { } token)
            {
                failure = new PythonUnknown("a call is not closed");
                return false;
            }

            if (token.Is(")"))
            {
                _position++;
                return true;
            }

            if (token.Is("*") || token.Is("**"))
            {
                failure = new PythonUnknown("a call with unpacked arguments");
                return false;
            }

            string? keyword = null;
            if (token.Kind == PythonTokenKind.Name && _position + 1 < _tokens.Count && _tokens[_position + 1].Is("="))
            {
                keyword = token.Text;
                _position += 2;
            }

            var value = Expression();
            if (value is PythonUnknown)
            {
                failure = value;
                return false;
            }

            if (keyword is null)
            {
                positional.Add(value);
            }
            else
            {
                keywords[keyword] = value;
            }

            if (PeekIs(","))
            {
                _position++;
            }
            else if (!PeekIs(")"))
            {
                failure = new PythonUnknown(Peek is { } unexpected ? $"'{unexpected.Text}' in a call is not read" : "a call is not closed");
                return false;
            }
        }
    }

    private PythonValue Parenthesised()
    {
        var start = _position;
        var substitutions = _substitutions;
        _position++;
        if (PeekIs(")"))
        {
            _position++;
            return new PythonList([]);
        }

        var first = Expression();
        if (first is PythonUnknown)
        {
            return first;
        }

        if (PeekIs(")"))
        {
            _position++;
            return first is PythonNumber number
                ? new PythonNumber(substitutions == _substitutions ? Slice(start) : $"({number.Text})", number.IsLiteral) { Environment = number.Environment }
                : first;
        }

        if (PeekName("for"))
        {
            return new PythonUnknown("a generator expression");
        }

        return Sequence(first, ")");
    }

    private PythonValue ListLiteral()
    {
        _position++;
        if (PeekIs("]"))
        {
            _position++;
            return new PythonList([]);
        }

        var first = Expression();
        if (first is PythonUnknown)
        {
            return first;
        }

        return PeekName("for") ? new PythonUnknown("a list comprehension") : Sequence(first, "]");
    }

    private PythonValue Sequence(PythonValue first, string close)
    {
        var items = new List<PythonValue> { first };
        while (true)
        {
            if (PeekIs(close))
            {
                _position++;
                var environment = items.SelectMany(i => i.Environment).Distinct().ToArray();
                return new PythonList(items) { Environment = environment };
            }

            if (!PeekIs(","))
            {
                return new PythonUnknown(Peek is { } token ? $"'{token.Text}' in a list is not read" : $"a '{(close == ")" ? "(" : "[")}' is not closed");
            }

            _position++;
            if (PeekIs(close))
            {
                continue;
            }

            var item = Expression();
            if (item is PythonUnknown)
            {
                return item;
            }

            items.Add(item);
        }
    }

    /// <summary>Skips from an opening bracket at the current position past its closing bracket; false when it is not closed.</summary>
    private bool SkipBalanced()
    {
        var depth = 0;
        while (_position < _tokens.Count)
        {
            var token = _tokens[_position++];
            if (token.Kind != PythonTokenKind.Operator)
            {
                continue;
            }

            depth += token.Text switch { "(" or "[" or "{" => 1, ")" or "]" or "}" => -1, _ => 0 };
            if (depth <= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Skips a lambda: its parameters up to the ':', then its body up to a ',' or closing bracket at its own level, or the end.</summary>
    private void SkipLambda()
    {
        var depth = 0;
        _position++;
        while (_position < _tokens.Count)
        {
            var token = _tokens[_position++];
            if (token.Kind != PythonTokenKind.Operator)
            {
                continue;
            }

            depth += token.Text switch { "(" or "[" or "{" => 1, ")" or "]" or "}" => -1, _ => 0 };
            if (token.Text == ":" && depth == 0)
            {
                break;
            }
        }

        depth = 0;
        while (_position < _tokens.Count)
        {
            var token = _tokens[_position];
            if (token.Kind == PythonTokenKind.Operator)
            {
                if (token.Text is "(" or "[" or "{")
                {
                    depth++;
                }
                else if (token.Text is ")" or "]" or "}")
                {
                    if (depth == 0)
                    {
                        return;
                    }

                    depth--;
                }
                else if (token.Text == "," && depth == 0)
                {
                    return;
                }
            }

            _position++;
        }
    }

    private PythonValue Combine(List<(string Operator, PythonValue Value)> items, int start, int substitutions)
    {
        var environment = items.SelectMany(i => i.Value.Environment).Distinct().ToArray();
        var first = items[0].Value;
        var mismatch = items.Skip(1).FirstOrDefault(i => i.Value.GetType() != first.GetType() || (first is not PythonNumber && i.Operator != "+"));
        if (mismatch.Value is not null)
        {
            return new PythonUnknown($"'{mismatch.Operator}' on {Describe(first)} and {Describe(mismatch.Value)}");
        }

        switch (first)
        {
            case PythonNumber:
                if (substitutions == _substitutions)
                {
                    return new PythonNumber(Slice(start), IsLiteral: false) { Environment = environment };
                }

                if (items.Sum(i => ((PythonNumber)i.Value).Text.Length + 3) > MaximumTextLength)
                {
                    return new PythonUnknown("the expression is too long");
                }

                var text = new StringBuilder(((PythonNumber)first).Text);
                foreach (var (op, value) in items.Skip(1))
                {
                    text.Append(' ').Append(op).Append(' ').Append(((PythonNumber)value).Text);
                }

                return new PythonNumber(text.ToString(), IsLiteral: false) { Environment = environment };
            case PythonString:
                if (items.Sum(i => ((PythonString)i.Value).Value.Length) > MaximumTextLength)
                {
                    return new PythonUnknown("the string is too long");
                }

                return new PythonString(string.Concat(items.Select(i => ((PythonString)i.Value).Value))) { Environment = environment };
            case PythonList:
                if (items.Sum(i => ((PythonList)i.Value).Items.Count) > MaximumItems)
                {
                    return new PythonUnknown("the list is too long");
                }

                return new PythonList(items.SelectMany(i => ((PythonList)i.Value).Items).ToArray()) { Environment = environment };
            default:
                return new PythonUnknown($"'{items[1].Operator}' on {Describe(first)} and {Describe(items[1].Value)}");
        }
    }

    private string Slice(int startToken) =>
        _source[_tokens[startToken].Start.._tokens[Math.Max(startToken, _position - 1)].End];

    private static bool IsFalsy(PythonValue value) => value switch
    {
        PythonNone => true,
        PythonBoolean b => !b.Value,
        PythonString s => s.Value.Length == 0,
        PythonNumber { IsLiteral: true } n => IsZero(n.Text),
        PythonList l => l.Items.Count == 0,
        _ => false,
    };

    private static bool IsTruthy(PythonValue value) => value switch
    {
        PythonBoolean b => b.Value,
        PythonString s => s.Value.Length > 0,
        PythonNumber n => !IsFalsy(n),
        PythonList l => l.Items.Count > 0,
        PythonReference or PythonCallable => true,
        _ => false,
    };

    private static bool IsZero(string literal)
    {
        var text = literal.Replace("_", string.Empty, StringComparison.Ordinal);
        if (text.Length > 2 && text[0] == '0' && text[1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            text = text[2..];
        }

        return text.Length > 0 && !text.AsSpan().ContainsAnyExcept(ZeroDigits);
    }

    private static bool IsDecimalInteger(string text)
    {
        var s = text.Trim().AsSpan();
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            s = s[1..];
        }

        return s.Length > 0 && s[0] != '_' && s[^1] != '_' && !s.ContainsAnyExcept(DecimalDigits) && !s.Contains("__", StringComparison.Ordinal);
    }

    private static string Describe(PythonValue value) => value switch
    {
        PythonNumber => "a number",
        PythonString => "a string",
        PythonBoolean => "a boolean",
        PythonNone => "None",
        PythonList => "a list",
        PythonDict => "a dict",
        PythonReference r => $"'{r.Name}'",
        _ => "a value",
    };
}
