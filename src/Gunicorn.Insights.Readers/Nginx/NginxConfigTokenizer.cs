using System.Text;

namespace Gunicorn.Insights.Readers.Nginx;

/// <summary>
/// Splits nginx configuration text into directives and blocks, line by line with state carried across lines (a
/// directive or a quoted string may span lines), as nginx's own parser does: tokens are separated by white space,
/// <c>;</c> ends a directive, <c>{</c> opens a block and <c>}</c> closes it, <c>#</c> at the start of a token comments
/// out the rest of the line, <c>"…"</c> and <c>'…'</c> quote (with <c>\"</c>, <c>\'</c>, <c>\\</c>, <c>\n</c>, <c>\t</c>,
/// <c>\r</c> escapes), <c>${name}</c> is part of a token, and the bodies of <c>*_by_lua_block</c> are skipped as code.
/// Memory is bounded: over-long tokens and directives are cut and reported.
/// </summary>
internal sealed class NginxConfigTokenizer
{
    /// <summary>The most characters one directive's arguments may hold together.</summary>
    public const int MaximumDirectiveChars = 64 * 1024;

    /// <summary>The most arguments one directive may have.</summary>
    public const int MaximumArguments = 512;

    private readonly List<string> _words = [];
    private readonly StringBuilder _token = new();
    private readonly Action<IReadOnlyList<string>, long> _directive;
    private readonly Action<IReadOnlyList<string>, long> _blockStart;
    private readonly Action<long> _blockEnd;
    private readonly Action<long, string> _warn;
    private bool _inToken;
    private bool _inVariableBraces;
    private char _quote;
    private long _quoteLine;
    private long _directiveLine;
    private int _directiveChars;
    private bool _overflow;
    private int _rawDepth;
    private char _rawQuote;

    /// <summary>Creates a tokenizer that reports directives, block starts and ends, and problems.</summary>
    public NginxConfigTokenizer(Action<IReadOnlyList<string>, long> directive, Action<IReadOnlyList<string>, long> blockStart,
        Action<long> blockEnd, Action<long, string> warn)
    {
        _directive = directive;
        _blockStart = blockStart;
        _blockEnd = blockEnd;
        _warn = warn;
    }

    /// <summary>Reads one line.</summary>
    public void Line(string text, long number)
    {
        var i = 0;
        while (i < text.Length)
        {
            var ch = text[i];
            if (_rawDepth > 0)
            {
                i = Raw(text, i, number);
                continue;
            }

            if (_quote != '\0')
            {
                if (ch == '\\' && i + 1 < text.Length)
                {
                    AppendEscaped(text[i + 1], number);
                    i += 2;
                    continue;
                }

                if (ch == _quote)
                {
                    _quote = '\0';
                    EndToken(force: true);
                }
                else
                {
                    Append(ch, number);
                }

                i++;
                continue;
            }

            switch (ch)
            {
                case ' ' or '\t' or '\r' or '\f' or '\v':
                    EndToken();
                    break;
                case '#' when !_inToken:
                    return;
                case ';':
                    EndToken();
                    EndDirective(number);
                    break;
                case '{' when _inToken && _token.Length > 0 && _token[^1] == '$':
                    Append(ch, number);
                    _inVariableBraces = true;
                    break;
                case '{':
                    EndToken();
                    StartBlock(number);
                    break;
                case '}' when _inVariableBraces:
                    Append(ch, number);
                    _inVariableBraces = false;
                    break;
                case '}':
                    EndToken();
                    if (_words.Count > 0)
                    {
                        _warn(_directiveLine, $"directive '{Shorten(_words[0])}' has no ';' before '}}'; read as if it had one");
                        EndDirective(number);
                    }

                    _blockEnd(number);
                    break;
                case '"' or '\'' when !_inToken:
                    NoteStart(number);
                    _quote = ch;
                    _quoteLine = number;
                    _inToken = true;
                    break;
                case '\\' when i + 1 < text.Length:
                    AppendEscaped(text[i + 1], number);
                    i++;
                    break;
                default:
                    Append(ch, number);
                    break;
            }

            i++;
        }

        if (_quote != '\0')
        {
            // A quoted string goes on to the next line, with the line break in it.
            Append('\n', number);
        }
        else
        {
            EndToken();
        }
    }

    /// <summary>Reports what the input left open.</summary>
    public void Finish(long lastLine)
    {
        if (_quote != '\0')
        {
            _warn(_quoteLine, $"a string opened with {_quote} is never closed; the directive it is in was not read");
            _quote = '\0';
            _token.Clear();
            _inToken = false;
            _words.Clear();
        }
        else
        {
            EndToken();
        }

        if (_rawDepth > 0)
        {
            _warn(lastLine, "a *_by_lua_block is never closed");
            _rawDepth = 0;
            _blockEnd(lastLine);
        }

        if (_words.Count > 0)
        {
            _warn(_directiveLine, $"directive '{Shorten(_words[0])}' has no ';' at the end of the file; not read");
            _words.Clear();
        }
    }

    private int Raw(string text, int i, long number)
    {
        var ch = text[i];
        if (_rawQuote != '\0')
        {
            if (ch == '\\')
            {
                return i + 2;
            }

            if (ch == _rawQuote)
            {
                _rawQuote = '\0';
            }

            return i + 1;
        }

        switch (ch)
        {
            case '"' or '\'':
                _rawQuote = ch;
                break;
            case '-' when i + 1 < text.Length && text[i + 1] == '-':
                // A Lua comment runs to the end of the line.
                return text.Length;
            case '{':
                _rawDepth++;
                break;
            case '}':
                _rawDepth--;
                if (_rawDepth == 0)
                {
                    _blockEnd(number);
                }

                break;
        }

        return i + 1;
    }

    private void Append(char ch, long number)
    {
        NoteStart(number);
        _inToken = true;
        if (_overflow)
        {
            return;
        }

        if (++_directiveChars > MaximumDirectiveChars)
        {
            _overflow = true;
            return;
        }

        _token.Append(ch);
    }

    private void NoteStart(long number)
    {
        if (_words.Count == 0 && !_inToken)
        {
            _directiveLine = number;
        }
    }

    private void EndToken(bool force = false)
    {
        if (!_inToken && !force)
        {
            return;
        }

        if (_words.Count < MaximumArguments)
        {
            _words.Add(_token.ToString());
        }
        else
        {
            _overflow = true;
        }

        _token.Clear();
        _inToken = false;
        _inVariableBraces = false;
    }

    private void EndDirective(long number)
    {
        if (_words.Count == 0)
        {
            Reset();
            return;
        }

        if (_overflow)
        {
            _warn(_directiveLine, $"directive '{Shorten(_words[0])}' is longer than {MaximumDirectiveChars} characters or {MaximumArguments} arguments; skipped");
        }
        else
        {
            _directive(_words, _directiveLine == 0 ? number : _directiveLine);
        }

        Reset();
    }

    private void StartBlock(long number)
    {
        var line = _words.Count == 0 ? number : _directiveLine;
        if (_words.Count == 0)
        {
            _warn(number, "a block '{' without a name; read as an anonymous block");
            _words.Add("");
        }

        if (_overflow)
        {
            _warn(line, $"the head of block '{Shorten(_words[0])}' is too long; its arguments were dropped");
            _words.RemoveRange(1, _words.Count - 1);
        }

        var isLua = _words[0].EndsWith("_by_lua_block", StringComparison.Ordinal);
        _blockStart(_words, line);
        Reset();
        if (isLua)
        {
            _rawDepth = 1;
            _rawQuote = '\0';
        }
    }

    private void Reset()
    {
        _words.Clear();
        _directiveChars = 0;
        _overflow = false;
        _directiveLine = 0;
    }

    /// <summary>nginx keeps a backslash before anything but a quote, a backslash, n, t and r (so regexes keep theirs).</summary>
    private void AppendEscaped(char ch, long number)
    {
        switch (ch)
        {
            case '"' or '\'' or '\\':
                Append(ch, number);
                break;
            case 'n':
                Append('\n', number);
                break;
            case 't':
                Append('\t', number);
                break;
            case 'r':
                Append('\r', number);
                break;
            default:
                Append('\\', number);
                Append(ch, number);
                break;
        }
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
