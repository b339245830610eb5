using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace Gunicorn.Insights.Readers.Input;

/// <summary>
/// One pass over an input's bytes, buffer by buffer: either every line goes to a <see cref="LineVisitor"/>, or only the
/// lines with a marker (and those asked for) go to a <see cref="MarkedLineVisitor"/> while the lines between are only
/// counted and checked. Over-long lines, NUL bytes, invalid UTF-8 and a binary start are reported the same way in both.
/// </summary>
internal sealed class LineScan(ReadContext context, long linesBefore, LineVisitor? everyLine, LineMarkers? markers, MarkedLineVisitor? markedLine)
{
    private const int BinaryProbeBytes = 8 * 1024;

    // Below this a block is searched for markers on one core; above, its two halves are searched on two at once.
    private const int ParallelSearchBytes = 256 * 1024;

    private readonly List<int> _marked = [];
    private readonly List<int> _markedSecondHalf = [];
    private byte[] _buffer = [];

    private long _lineNumber = linesBefore;
    private long _nulLines;
    private long _lastDelivered = linesBefore;

    // Marked lines: whether the next line goes to the visitor (the first line always does), and where the last line
    // passed starts in the buffer, so the line before a marked one can be handed over with it.
    private bool _follow = true;
    private int _previousStart;
    private int _beforePreviousStart;

    public ReadContext Context => context;

    public void Run(Stream stream, byte[] buffer, long byteLimit)
    {
        _buffer = buffer;
        var filled = 0;
        var unread = 0;
        var checkedForBinary = false;
        var skippingLongLine = false;
        var longLineBytes = 0L;
        var total = 0L;

        while (true)
        {
            var read = total >= byteLimit ? 0 : stream.Read(buffer, filled, buffer.Length - filled);
            var atEnd = read == 0;
            filled += read;
            total += read;
            context.Bytes = total;

            if (!checkedForBinary)
            {
                if (filled < BinaryProbeBytes && !atEnd)
                {
                    continue;
                }

                checkedForBinary = true;
                if (buffer.AsSpan(0, Math.Min(filled, BinaryProbeBytes)).IndexOf((byte)0) >= 0)
                {
                    context.Report(0, InputDiagnosticSeverity.Error, "binary content (NUL bytes) at the start: not a text file, not read");
                    return;
                }
            }

            var span = buffer.AsSpan(0, filled);
            var start = unread;
            if (skippingLongLine)
            {
                var newline = span[start..].IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    // The break ends the over-long line whose head was already passed on (and counted).
                    skippingLongLine = false;
                    longLineBytes += newline;
                    WarnLongLine(longLineBytes);
                    start += newline + 1;
                    _previousStart = _beforePreviousStart = start;
                }
            }

            if (!skippingLongLine)
            {
                var end = atEnd ? filled : start + span[start..].LastIndexOf((byte)'\n') + 1;
                if (end > start)
                {
                    start = markers is null ? EveryLine(span, start, end) : MarkedLines(span, start, end);
                }
            }

            var rest = filled - start;
            if (atEnd)
            {
                if (skippingLongLine)
                {
                    WarnLongLine(longLineBytes + rest);
                }
                else if (markers is not null && _lastDelivered < _lineNumber && _previousStart < filled)
                {
                    // The last line always goes to the visitor, so a reader sees where the input ends.
                    Deliver(span, _previousStart, filled, _beforePreviousStart);
                }

                break;
            }

            var discard = false;
            if (rest >= LineSource.MaximumLineBytes && !skippingLongLine)
            {
                // An over-long line: pass its head on once, then skip to its end.
                var head = span.Slice(start, LineSource.MaximumLineBytes);
                if (markers is null)
                {
                    _lineNumber++;
                    Emit(head);
                }
                else
                {
                    Check(head);
                    _lineNumber++;
                    if (_follow || markers.IsIn(head))
                    {
                        Deliver(span, start, start + head.Length, _previousStart);
                    }
                }

                skippingLongLine = true;
                longLineBytes = rest;
                discard = true;
            }
            else if (skippingLongLine)
            {
                longLineBytes += rest;
                discard = true;
            }

            if (discard)
            {
                filled = unread = _previousStart = _beforePreviousStart = 0;
                continue;
            }

            // Keep the unread tail, and for marked lines the two lines before it too, unless they would crowd the buffer.
            var keepFrom = markers is null ? start
                : start - _beforePreviousStart <= LineSource.MaximumLineBytes ? _beforePreviousStart
                : start - _previousStart <= LineSource.MaximumLineBytes ? _previousStart : start;
            if (keepFrom > 0 && filled > keepFrom)
            {
                Buffer.BlockCopy(buffer, keepFrom, buffer, 0, filled - keepFrom);
            }

            filled -= keepFrom;
            unread = start - keepFrom;
            _previousStart = Math.Max(0, _previousStart - keepFrom);
            _beforePreviousStart = Math.Max(0, _beforePreviousStart - keepFrom);
        }

        context.Lines = _lineNumber;
        context.Bytes = total;
        if (_nulLines > 1)
        {
            context.Warn(0, $"{_nulLines} lines contained NUL bytes (binary garbage) and were skipped");
        }
    }

    /// <summary>Every line of [start, end) to the visitor; returns end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int EveryLine(ReadOnlySpan<byte> span, int start, int end)
    {
        // One search of the block spares a search of each line when, as usual, there is no NUL byte at all.
        var mayHoldNul = span[start..end].IndexOf((byte)0) >= 0;
        while (start < end)
        {
            var newline = span[start..end].IndexOf((byte)'\n');
            var lineEnd = newline < 0 ? end : start + newline;
            _lineNumber++;
            Emit(span[start..lineEnd], mayHoldNul);
            start = newline < 0 ? end : lineEnd + 1;
        }

        return end;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Emit(ReadOnlySpan<byte> line, bool mayHoldNul = true)
    {
        line = TrimBreak(line);
        context.Lines = _lineNumber;
        if (mayHoldNul && line.IndexOf((byte)0) >= 0)
        {
            CountNulLine(_lineNumber);
            return;
        }

        everyLine!(line, _lineNumber);
    }

    /// <summary>
    /// The marked lines of [start, end) (whole lines, the last one possibly without its break at the end of the input) to
    /// the visitor, the others counted and checked; returns end.
    /// </summary>
    private int MarkedLines(ReadOnlySpan<byte> span, int start, int end)
    {
        if (FindMarked(start, end))
        {
            Check(span[start..end]);
        }

        var nextMarked = 0;
        var position = start;
        while (position < end)
        {
            if (_follow)
            {
                var newline = span[position..end].IndexOf((byte)'\n');
                var lineEnd = newline < 0 ? end : position + newline;
                _lineNumber++;
                Deliver(span, position, lineEnd, _previousStart);
                _beforePreviousStart = _previousStart;
                _previousStart = position;
                position = newline < 0 ? end : lineEnd + 1;
                continue;
            }

            while (nextMarked < _marked.Count && _marked[nextMarked] < position)
            {
                // Inside a line already read.
                nextMarked++;
            }

            var found = nextMarked < _marked.Count ? _marked[nextMarked] - position : -1;
            if (found < 0)
            {
                // No marker to the end: count the lines and remember where the last one starts.
                var region = span[position..end];
                var terminated = region[^1] == (byte)'\n';
                _lineNumber += region.Count((byte)'\n') + (terminated ? 0 : 1);
                Passed(span, position, position + (terminated ? region[..^1] : region).LastIndexOf((byte)'\n') + 1);
                context.Lines = _lineNumber;
                break;
            }

            // Count the whole lines before the marked one; the last of them becomes the line before it.
            var lineStart = position + span[position..(position + found)].LastIndexOf((byte)'\n') + 1;
            var skipped = span[position..lineStart];
            if (skipped.Length > 0)
            {
                _lineNumber += skipped.Count((byte)'\n');
                Passed(span, position, position + skipped[..^1].LastIndexOf((byte)'\n') + 1);
            }

            position = lineStart;
            _follow = true;
        }

        return end;
    }

    /// <summary>
    /// Finds where the marked lines of [start, end) are (the first marker of each), in order, into _marked, and tells
    /// whether the block holds NUL bytes or (while none was reported) invalid UTF-8; a large block is split at a line
    /// break and its halves are searched on two cores.
    /// </summary>
    private bool FindMarked(int start, int end)
    {
        _marked.Clear();
        _markedSecondHalf.Clear();
        var middle = end - start >= ParallelSearchBytes && Environment.ProcessorCount > 1
            ? start + _buffer.AsSpan(start, (end - start) / 2).LastIndexOf((byte)'\n') + 1
            : end;
        if (middle <= start || middle >= end)
        {
            return FindMarked(start, end, _marked);
        }

        bool firstHalf = false, secondHalf = false;
        Parallel.Invoke(() => firstHalf = FindMarked(start, middle, _marked), () => secondHalf = FindMarked(middle, end, _markedSecondHalf));
        _marked.AddRange(_markedSecondHalf);
        return firstHalf || secondHalf;
    }

    private bool FindMarked(int start, int end, List<int> into)
    {
        var block = _buffer.AsSpan(start, end - start);
        var suspicious = block.IndexOf((byte)0) >= 0 || (!context.ReportedInvalidUtf8 && !Utf8.IsValid(block));
        var position = start;
        while (position < end)
        {
            var found = markers!.IndexIn(_buffer.AsSpan(position, end - position));
            if (found < 0)
            {
                return suspicious;
            }

            into.Add(position + found);
            // One entry per line: go on from the next line.
            var lineEnd = _buffer.AsSpan(position + found, end - position - found).IndexOf((byte)'\n');
            position = lineEnd < 0 ? end : position + found + lineEnd + 1;
        }

        return suspicious;
    }

    /// <summary>Notes that the lines from position on were passed over, the last of them starting at lastStart.</summary>
    private void Passed(ReadOnlySpan<byte> span, int position, int lastStart)
    {
        _beforePreviousStart = lastStart > position ? position + span[position..(lastStart - 1)].LastIndexOf((byte)'\n') + 1 : _previousStart;
        _previousStart = lastStart;
    }

    /// <summary>The line [start, end) (its break excluded) to the marked-line visitor, with the line from previousStart before it.</summary>
    private void Deliver(ReadOnlySpan<byte> span, int start, int end, int previousStart)
    {
        _lastDelivered = _lineNumber;
        context.Lines = _lineNumber;
        var line = TrimBreak(span[start..end]);
        var previous = previousStart < start ? TrimBreak(span[previousStart..(start - 1)]) : default;
        // Lines with NUL bytes were counted by Check; they are skipped like everywhere else.
        _follow = line.IndexOf((byte)0) < 0 ? markedLine!(line, _lineNumber, previous) : _follow;
    }

    /// <summary>Counts a line skipped for its NUL bytes; the first one is reported with its number, the rest summed at the end.</summary>
    private void CountNulLine(long number)
    {
        if (_nulLines++ == 0)
        {
            context.Warn(number, "line contains NUL bytes (binary garbage); skipped");
        }
    }

    private void WarnLongLine(long bytes) =>
        context.Warn(_lineNumber, $"line is {bytes} bytes long; only its first {LineSource.MaximumLineBytes} bytes were read");

    private static ReadOnlySpan<byte> TrimBreak(ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == (byte)'\n')
        {
            line = line[..^1];
        }

        return line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
    }

    /// <summary>Reports NUL bytes and invalid UTF-8 in lines that may never reach the visitor, with their numbers (the rare, slow path).</summary>
    private void Check(ReadOnlySpan<byte> lines)
    {
        var nul = lines.IndexOf((byte)0);
        while (nul >= 0)
        {
            CountNulLine(_lineNumber + lines[..nul].Count((byte)'\n') + 1);

            var lineEnd = lines[nul..].IndexOf((byte)'\n');
            if (lineEnd < 0)
            {
                break;
            }

            var next = nul + lineEnd + 1;
            var following = lines[next..].IndexOf((byte)0);
            nul = following < 0 ? -1 : next + following;
        }

        if (!context.ReportedInvalidUtf8 && !Utf8.IsValid(lines))
        {
            var number = _lineNumber;
            var rest = lines;
            while (true)
            {
                number++;
                var newline = rest.IndexOf((byte)'\n');
                if (!Utf8.IsValid(newline < 0 ? rest : rest[..newline]))
                {
                    context.ReportInvalidUtf8(number);
                    break;
                }

                if (newline < 0)
                {
                    break;
                }

                rest = rest[(newline + 1)..];
            }
        }
    }
}
