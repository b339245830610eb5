using System.Text;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Metrics;

/// <summary>
/// A small, safe reader for the YAML that configuration files like <c>prometheus.yml</c> use, line by line with
/// bounded memory: block mappings (<c>key: value</c>, <c>key:</c> with an indented block), block sequences
/// (<c>- item</c>, also at the key's own indentation, and <c>- key: value</c> items), flow sequences of scalars
/// (<c>['a', "b", c]</c>, also over several lines), plain, single- and double-quoted scalars, comments and document
/// markers. Keys are reported by their dotted path without sequence positions (<c>scrape_configs.static_configs.targets</c>).
/// </summary>
/// <remarks>
/// Block scalars (<c>|</c>, <c>&gt;</c>), anchors, aliases, tags, merge keys and nested flow collections are not
/// interpreted: they are reported to <see cref="Unsupported"/> and skipped, never guessed at. Tabs in indentation and
/// unterminated quotes or brackets are reported as warnings.
/// </remarks>
internal abstract class YamlSubsetReader(ReadContext context)
{
    /// <summary>The most items kept of one sequence.</summary>
    public const int MaximumItems = 10_000;

    private const int MaximumFlowLength = 64 * 1024;

    private const int MaximumDepth = 64;

    private readonly List<Frame> _stack = [];
    private Frame? _flowFrame;
    private StringBuilder? _flow;
    private long _flowLine;
    private int _flowDepth;
    private char _flowQuote;
    private int _flowClosedAt;
    private bool _warnedDepth;
    private bool _flowOverflow;
    private int? _blockScalarIndent;
    private bool _warnedTabs;

    /// <summary>The context problems are reported to.</summary>
    protected ReadContext Context { get; } = context;

    /// <summary>Reports a problem at <paramref name="line"/>; quoted input is masked for secrets first.</summary>
    protected void Warn(long line, string message) => Context.Warn(line, SecretRedactor.Redact(message));

    /// <summary>Reads one line.</summary>
    public void Line(string raw, long number)
    {
        if (_flow is not null)
        {
            ContinueFlow(StripComment(raw).Trim(), number);
            return;
        }

        var indent = 0;
        while (indent < raw.Length && raw[indent] == ' ')
        {
            indent++;
        }

        if (_blockScalarIndent is { } blockIndent)
        {
            if (raw.AsSpan().Trim().IsEmpty || indent > blockIndent)
            {
                return;
            }

            _blockScalarIndent = null;
        }

        var text = StripComment(raw).TrimEnd();
        if (indent < text.Length && text[indent] == '\t')
        {
            if (!_warnedTabs)
            {
                _warnedTabs = true;
                Warn(number, "a tab in the indentation (YAML allows only spaces there); line skipped");
            }

            return;
        }

        if (text.Length <= indent)
        {
            return;
        }

        var content = text[indent..];
        if (content is "---" or "..." || content.StartsWith("--- ", StringComparison.Ordinal) || content[0] == '%')
        {
            CloseAll();
            return;
        }

        var isDash = content == "-" || content.StartsWith("- ", StringComparison.Ordinal);
        Pop(indent, isDash);
        if (isDash)
        {
            DashLine(content, indent, number);
        }
        else
        {
            KeyLine(content, indent, number);
        }
    }

    /// <summary>Ends the input: open brackets are reported, open blocks closed.</summary>
    public virtual void End()
    {
        if (_flow is not null)
        {
            if (!_flowOverflow)
            {
                Warn(_flowLine, "a '[' or '{' is never closed; the value was skipped");
            }

            _flow = null;
            _flowFrame = null;
            _flowOverflow = false;
        }

        CloseAll();
    }

    /// <summary>A key with a scalar value.</summary>
    protected abstract void Scalar(string path, string key, string value, long line);

    /// <summary>A key whose value is a sequence of scalars (flow or block), complete.</summary>
    protected abstract void List(string path, string key, IReadOnlyList<string> items, long line);

    /// <summary>A key with an indented block below it.</summary>
    protected abstract void Open(string path, string key, long line);

    /// <summary>A mapping item of the sequence at <paramref name="path"/> begins.</summary>
    protected abstract void ItemStart(string path, long line);

    /// <summary>The mapping item of the sequence at <paramref name="path"/> ended.</summary>
    protected abstract void ItemEnd(string path);

    /// <summary>A construct this reader does not interpret (described by <paramref name="what"/>) at <paramref name="path"/>.</summary>
    protected abstract void Unsupported(string path, string what, long line);

    private void Pop(int indent, bool isDash)
    {
        while (_stack.Count > 0)
        {
            var top = _stack[^1];
            if (top.Indent < indent || (top.Indent == indent && isDash && !top.IsItem && top.IsOpen))
            {
                break;
            }

            PopFrame();
        }
    }

    private void PopFrame()
    {
        var frame = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        if (frame.IsItem && frame.Announced)
        {
            ItemEnd(frame.Path);
        }
        else if (!frame.IsItem && frame.BlockItems is { } items)
        {
            List(frame.Path, frame.Key, items, frame.Line);
        }
    }

    private void CloseAll()
    {
        while (_stack.Count > 0)
        {
            PopFrame();
        }
    }

    /// <summary>Past <see cref="MaximumDepth"/> levels, lines are skipped (one warning), so paths cannot grow without bound.</summary>
    private bool TooDeep(int indent, long number)
    {
        if (_stack.Count < MaximumDepth)
        {
            return false;
        }

        if (!_warnedDepth)
        {
            _warnedDepth = true;
            Warn(number, $"nesting deeper than {MaximumDepth} levels; the deeper lines were skipped");
        }

        _stack.Add(new Frame(indent, "", _stack[^1].Path, number) { Ignored = true });
        return true;
    }

    private void DashLine(string content, int indent, long number)
    {
        if (TooDeep(indent, number))
        {
            return;
        }

        var parent = _stack.Count > 0 ? _stack[^1] : null;
        var path = parent?.Path ?? "";
        var item = new Frame(indent, "", path, number) { IsItem = true };
        if (parent is not null && !parent.IsItem && !parent.IsOpen)
        {
            Warn(number, $"a list item under '{Shorten(parent.Key)}', which already has a value; skipped");
            item.Ignored = true;
        }

        _stack.Add(item);
        if (item.Ignored || parent is null || parent.IsItem || parent.Ignored)
        {
            // A top-level sequence or a sequence of sequences: nothing this reader looks at.
            item.Ignored = true;
            return;
        }

        var rest = content[1..];
        var value = rest.TrimStart();
        if (value.Length == 0)
        {
            item.Announced = true;
            ItemStart(path, number);
            return;
        }

        if (value == "-" || value.StartsWith("- ", StringComparison.Ordinal))
        {
            item.Ignored = true;
            return;
        }

        if (TrySplitKey(value, out _, out _))
        {
            item.Announced = true;
            ItemStart(path, number);
            KeyLine(value, indent + 1 + (rest.Length - value.Length), number);
            return;
        }

        if (value[0] is '[' or '{' or '&' or '*' or '!' or '|' or '>')
        {
            Unsupported(path, "a nested collection, anchor, alias, tag or block scalar in a list", number);
            return;
        }

        if (!TryUnquote(value, out var scalar))
        {
            Warn(number, $"an unterminated quote in a list item of '{Shorten(parent.Key)}'; item skipped");
            return;
        }

        // Lines below a scalar item continue it; nothing in them is read.
        item.Ignored = true;
        parent.BlockItems ??= [];
        if (parent.BlockItems.Count < MaximumItems)
        {
            parent.BlockItems.Add(scalar);
        }
        else if (parent.BlockItems.Count == MaximumItems)
        {
            Warn(number, $"'{Shorten(parent.Key)}' has more than {MaximumItems} items; the rest were skipped");
            parent.BlockItems.Add(scalar);
        }
    }

    private void KeyLine(string content, int indent, long number)
    {
        if (TooDeep(indent, number))
        {
            return;
        }

        var parent = _stack.Count > 0 ? _stack[^1] : null;
        if (parent is not null && ((!parent.IsItem && !parent.IsOpen) || parent.Ignored))
        {
            // The continuation of a multi-line plain scalar, or the inside of something skipped.
            var ignored = new Frame(indent, "", parent.Path, number) { Ignored = true };
            _stack.Add(ignored);
            return;
        }

        if (!TrySplitKey(content, out var key, out var value))
        {
            Warn(number, $"expected 'key: value' or '- item', found '{Shorten(content)}'; line skipped");
            _stack.Add(new Frame(indent, "", parent?.Path ?? "", number) { Ignored = true });
            return;
        }

        var path = parent is null || parent.Path.Length == 0 ? key : parent.Path + "." + key;
        var frame = new Frame(indent, key, path, number) { IsOpen = value.Length == 0 };
        _stack.Add(frame);
        if (value.Length == 0)
        {
            Open(path, key, number);
            return;
        }

        switch (value[0])
        {
            case '[' or '{':
                _flowFrame = frame;
                _flowLine = number;
                _flow = new StringBuilder();
                _flowDepth = 0;
                _flowQuote = '\0';
                _flowClosedAt = -1;
                ContinueFlow(value, number);
                return;
            case '|' or '>':
                _blockScalarIndent = indent;
                Unsupported(path, "a block scalar", number);
                return;
            case '&' or '*' or '!':
                Unsupported(path, "an anchor, alias or tag", number);
                frame.Ignored = true;
                return;
        }

        if (key == "<<")
        {
            Unsupported(path, "a merge key", number);
            return;
        }

        if (!TryUnquote(value, out var scalar))
        {
            Warn(number, $"an unterminated quote in the value of '{Shorten(key)}'; value skipped");
            return;
        }

        Scalar(path, key, scalar, number);
    }

    private void ContinueFlow(string text, long number)
    {
        var flow = _flow!;
        var frame = _flowFrame!;
        if (_flowOverflow || flow.Length + text.Length > MaximumFlowLength)
        {
            // Too long to keep: follow the brackets to the end of the value without storing it.
            if (!_flowOverflow)
            {
                _flowOverflow = true;
                Warn(number, $"the value of '{Shorten(frame.Key)}' is longer than {MaximumFlowLength} characters; skipped");
            }

            Scan(text, 0);
            if (_flowClosedAt >= 0)
            {
                _flow = null;
                _flowFrame = null;
                _flowOverflow = false;
            }

            return;
        }

        var start = flow.Length == 0 ? 0 : flow.Length + 1;
        flow.Append(flow.Length == 0 ? "" : " ").Append(text);

        // Only the new text is scanned: the depth and quote state carry over from the lines before.
        if (_flowClosedAt < 0)
        {
            Scan(text, start);
        }

        if (_flowClosedAt < 0)
        {
            return;
        }

        var value = flow.ToString();
        var closedAt = _flowClosedAt;
        _flow = null;
        _flowFrame = null;
        if (closedAt < value.Length - 1)
        {
            Warn(number, $"unexpected text after the closing bracket of '{Shorten(frame.Key)}'; value skipped");
            return;
        }

        if (value[0] == '{')
        {
            // A flow mapping (labels: {env: prod}): nothing this reader looks at.
            return;
        }

        if (!TrySplitFlow(value, out var items))
        {
            Unsupported(frame.Path, "a nested or unterminated flow collection", _flowLine);
            return;
        }

        if (items.Count > MaximumItems)
        {
            Warn(_flowLine, $"'{Shorten(frame.Key)}' has more than {MaximumItems} items; the rest were skipped");
            items = items.GetRange(0, MaximumItems);
        }

        List(frame.Path, frame.Key, items, _flowLine);
    }

    /// <summary>
    /// Follows the bracket depth through <paramref name="text"/> (quotes respected), which starts at
    /// <paramref name="offset"/> in the whole value; records where the outer bracket closes.
    /// </summary>
    private void Scan(string text, int offset)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (_flowQuote != '\0')
            {
                if (c == '\\' && _flowQuote == '"')
                {
                    i++;
                }
                else if (c == _flowQuote)
                {
                    _flowQuote = '\0';
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    _flowQuote = c;
                    break;
                case '[' or '{':
                    _flowDepth++;
                    break;
                case ']' or '}':
                    _flowDepth--;
                    if (_flowDepth <= 0)
                    {
                        _flowClosedAt = offset + i;
                        return;
                    }

                    break;
            }
        }
    }

    private static bool TrySplitFlow(string value, out List<string> items)
    {
        items = [];
        var inner = value[1..^1];
        var current = new StringBuilder();
        char quote = '\0';
        for (var i = 0; i < inner.Length; i++)
        {
            var c = inner[i];
            if (quote != '\0')
            {
                current.Append(c);
                if (c == '\\' && quote == '"' && i + 1 < inner.Length)
                {
                    current.Append(inner[++i]);
                }
                else if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            if (c is '[' or '{' or ']' or '}')
            {
                return false;
            }

            if (c is '\'' or '"' && current.ToString().Trim().Length == 0)
            {
                quote = c;
            }

            if (c == ',')
            {
                if (!AddFlowItem(items, current))
                {
                    return false;
                }

                continue;
            }

            current.Append(c);
        }

        return quote == '\0' && AddFlowItem(items, current);
    }

    private static bool AddFlowItem(List<string> items, StringBuilder current)
    {
        var text = current.ToString().Trim();
        current.Clear();
        if (text.Length == 0)
        {
            return true;
        }

        if (!TryUnquote(text, out var item))
        {
            return false;
        }

        items.Add(item);
        return true;
    }

    /// <summary>Splits <c>key: value</c> (a plain or quoted key, then a colon followed by a blank or the end).</summary>
    private static bool TrySplitKey(string content, out string key, out string value)
    {
        key = "";
        value = "";
        int colon;
        if (content[0] is '\'' or '"')
        {
            var close = ClosingQuote(content, 0);
            if (close < 0)
            {
                return false;
            }

            colon = close + 1;
            while (colon < content.Length && content[colon] == ' ')
            {
                colon++;
            }

            if (colon >= content.Length || content[colon] != ':' || !TryUnquote(content[..(close + 1)], out key))
            {
                return false;
            }
        }
        else
        {
            colon = -1;
            for (var i = 0; i < content.Length; i++)
            {
                if (content[i] == ':' && (i + 1 == content.Length || content[i + 1] is ' ' or '\t'))
                {
                    colon = i;
                    break;
                }
            }

            if (colon <= 0 || content[0] is '[' or '{' or '&' or '*' or '!' or '|' or '>' or '@' or '`')
            {
                return false;
            }

            key = content[..colon].TrimEnd();
        }

        value = content[(colon + 1)..].Trim();
        return key.Length > 0;
    }

    /// <summary>Unquotes a single- or double-quoted scalar; a plain scalar is returned as it is.</summary>
    private static bool TryUnquote(string text, out string value)
    {
        value = text;
        if (text.Length == 0 || text[0] is not '\'' and not '"')
        {
            return true;
        }

        var close = ClosingQuote(text, 0);
        if (close != text.Length - 1)
        {
            return false;
        }

        var inner = text[1..^1];
        if (text[0] == '\'')
        {
            value = inner.Replace("''", "'", StringComparison.Ordinal);
            return true;
        }

        var builder = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] != '\\' || i + 1 >= inner.Length)
            {
                builder.Append(inner[i]);
                continue;
            }

            var escaped = inner[++i];
            builder.Append(escaped switch
            {
                'n' => '\n',
                't' => '\t',
                '0' => '\0',
                _ => escaped,
            });
        }

        value = builder.ToString();
        return true;
    }

    private static int ClosingQuote(string text, int open)
    {
        var quote = text[open];
        for (var i = open + 1; i < text.Length; i++)
        {
            if (quote == '"' && text[i] == '\\')
            {
                i++;
                continue;
            }

            if (text[i] == quote)
            {
                if (quote == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
                {
                    i++;
                    continue;
                }

                return i;
            }
        }

        return -1;
    }

    /// <summary>Removes a comment: a <c>#</c> at the start or after a blank, outside a quoted scalar.</summary>
    private static string StripComment(string line)
    {
        char quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            if (c == '#' && (i == 0 || line[i - 1] is ' ' or '\t'))
            {
                return line[..i];
            }

            // A quote opens a quoted scalar only where a scalar can start, not inside a plain one ("it's").
            if (c is '\'' or '"' && StartsScalar(line, i))
            {
                quote = c;
            }
        }

        return line;
    }

    private static bool StartsScalar(string line, int i)
    {
        var j = i - 1;
        while (j >= 0 && line[j] is ' ' or '\t')
        {
            j--;
        }

        return j < 0 || line[j] is ':' or '-' or '[' or ',' or '{' or '?';
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;

    private sealed class Frame(int indent, string key, string path, long line)
    {
        public int Indent { get; } = indent;

        public string Key { get; } = key;

        public string Path { get; } = path;

        public long Line { get; } = line;

        public bool IsItem { get; init; }

        public bool IsOpen { get; init; }

        public bool Announced { get; set; }

        public bool Ignored { get; set; }

        public List<string>? BlockItems { get; set; }
    }
}
