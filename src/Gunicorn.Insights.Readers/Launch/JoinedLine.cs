using System.Text;

namespace Gunicorn.Insights.Readers.Launch;

/// <summary>
/// A logical line made of physical lines joined by continuations (a trailing backslash, an open quote), remembering
/// where each physical line starts so every word can be given the line it was written on. Bounded in size.
/// </summary>
internal sealed class JoinedLine
{
    /// <summary>The longest logical line kept.</summary>
    public const int MaximumLength = 128 * 1024;

    /// <summary>The most physical lines joined into one.</summary>
    public const int MaximumLines = 200;

    private readonly StringBuilder _text = new();
    private readonly List<(int Offset, long Line)> _segments = [];

    /// <summary>True when nothing has been appended since the last <see cref="Clear"/>.</summary>
    public bool IsEmpty => _segments.Count == 0;

    /// <summary>The line the logical line starts on.</summary>
    public long FirstLine => _segments.Count > 0 ? _segments[0].Line : 0;

    /// <summary>True when another physical line would make it too long.</summary>
    public bool IsFull => _text.Length >= MaximumLength || _segments.Count >= MaximumLines;

    /// <summary>The text so far.</summary>
    public string Text => _text.ToString();

    /// <summary>Appends physical line <paramref name="line"/>, after <paramref name="separator"/> when something precedes it.</summary>
    public void Append(string text, long line, string separator)
    {
        if (_segments.Count > 0)
        {
            _text.Append(separator);
        }

        _segments.Add((_text.Length, line));
        _text.Append(text.Length + _text.Length > MaximumLength ? text.AsSpan(0, Math.Max(0, MaximumLength - _text.Length)) : text);
    }

    /// <summary>The physical line that holds character <paramref name="offset"/> of the text.</summary>
    public long LineAt(int offset)
    {
        var line = FirstLine;
        foreach (var (start, number) in _segments)
        {
            if (start > offset)
            {
                break;
            }

            line = number;
        }

        return line;
    }

    /// <summary>
    /// A lookup of the line of an offset in the text from <paramref name="baseOffset"/> on, still valid after <see cref="Clear"/>.
    /// </summary>
    public Func<int, long> Snapshot(int baseOffset)
    {
        var segments = _segments.ToArray();
        var first = FirstLine;
        return offset =>
        {
            var line = first;
            foreach (var (start, number) in segments)
            {
                if (start > baseOffset + offset)
                {
                    break;
                }

                line = number;
            }

            return line;
        };
    }

    /// <summary>Starts over.</summary>
    public void Clear()
    {
        _text.Clear();
        _segments.Clear();
    }
}
