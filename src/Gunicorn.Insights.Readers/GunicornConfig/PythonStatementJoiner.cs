using System.Text;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.GunicornConfig;

/// <summary>
/// Joins physical lines of a Python file into logical statements as Python's tokenizer does: open brackets, a trailing
/// backslash and triple-quoted strings continue a statement; comments are dropped. Statements are cut at
/// <see cref="MaximumStatementLength"/> so a file without line ends or with an unclosed bracket cannot use unbounded memory.
/// </summary>
internal sealed class PythonStatementJoiner(ReadContext context, Action<PythonStatement> emit)
{
    /// <summary>The longest statement kept; longer ones are reported and skipped.</summary>
    public const int MaximumStatementLength = 64 * 1024;

    private readonly StringBuilder _buffer = new();
    private bool _inStatement;
    private long _firstLine;
    private int _indent;
    private int _depth;
    private char _quote;
    private bool _triple;
    private bool _tooLong;

    /// <summary>Takes the next physical line.</summary>
    public void Line(string text, long number)
    {
        var start = 0;
        if (!_inStatement)
        {
            while (start < text.Length && text[start] is ' ' or '\t' or '\f')
            {
                start++;
            }

            if (start == text.Length || text[start] == '#')
            {
                return;
            }

            _inStatement = true;
            _firstLine = number;
            _indent = start;
            _depth = 0;
            _quote = '\0';
            _triple = false;
            _tooLong = false;
            _buffer.Clear();
        }

        var continued = false;
        var end = text.Length;
        var i = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (_quote != '\0')
            {
                if (c == '\\')
                {
                    if (i == text.Length - 1)
                    {
                        // A backslash at the end of a line inside a string continues the string.
                        continued = true;
                    }

                    i += 2;
                    continue;
                }

                if (c == _quote && (!_triple || (i + 2 < text.Length && text[i + 1] == _quote && text[i + 2] == _quote)))
                {
                    i += _triple ? 3 : 1;
                    _quote = '\0';
                    _triple = false;
                    continue;
                }

                i++;
                continue;
            }

            switch (c)
            {
                case '#':
                    end = i;
                    i = text.Length;
                    continue;
                case '\'' or '"':
                    _quote = c;
                    _triple = i + 2 < text.Length && text[i + 1] == c && text[i + 2] == c;
                    i += _triple ? 3 : 1;
                    continue;
                case '(' or '[' or '{':
                    _depth++;
                    break;
                case ')' or ']' or '}':
                    _depth = Math.Max(0, _depth - 1);
                    break;
                case '\\' when i == text.Length - 1:
                    continued = true;
                    end = i;
                    break;
            }

            i++;
        }

        Append(text.AsSpan(start, Math.Min(end, text.Length) - start));
        if (_quote != '\0' && !_triple && !continued)
        {
            context.Warn(number, $"a string opened on line {_firstLine} is not closed at the end of the line (a Python syntax error: Gunicorn "
                + "would refuse this file); the statement is ignored");
            _inStatement = false;
            return;
        }

        if (_depth > 0 || _triple || continued)
        {
            Append("\n");
            return;
        }

        Complete();
    }

    /// <summary>Ends the input: an unfinished statement is reported.</summary>
    public void Finish(long lastLine)
    {
        if (!_inStatement)
        {
            return;
        }

        _inStatement = false;
        context.Warn(_firstLine, $"the statement starting on line {_firstLine} is not closed by the end of the file (line {lastLine}): an unclosed "
            + "bracket or string, which Gunicorn would refuse as a syntax error; it is ignored");
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_tooLong)
        {
            return;
        }

        if (_buffer.Length + text.Length > MaximumStatementLength)
        {
            _tooLong = true;
            _buffer.Clear();
            context.Warn(_firstLine, $"the statement starting on line {_firstLine} is longer than {MaximumStatementLength} characters; it is ignored");
            return;
        }

        _buffer.Append(text);
    }

    private void Complete()
    {
        _inStatement = false;
        if (_tooLong)
        {
            return;
        }

        emit(new PythonStatement(_buffer.ToString(), _firstLine, _indent));
        _buffer.Clear();
    }
}
