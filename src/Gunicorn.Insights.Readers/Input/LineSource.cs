using System.Buffers;
using System.IO.Compression;

namespace Gunicorn.Insights.Readers.Input;

/// <summary>
/// Streams the lines of an input with bounded memory whatever its size: plain or gzip-compressed (detected by its magic
/// bytes, so rotated <c>.gz</c> logs need no flag), CRLF or LF, with over-long lines truncated, lines with NUL bytes
/// skipped as binary garbage, and a binary or truncated input reported rather than thrown.
/// </summary>
public sealed class LineSource
{
    /// <summary>The longest line passed to readers; longer lines are cut here and reported.</summary>
    public const int MaximumLineBytes = 64 * 1024;

    private const int BufferBytes = 1024 * 1024;
    private const int BinaryProbeBytes = 8 * 1024;

    private readonly Func<Stream> _open;
    private readonly long _firstLineNumber;

    private LineSource(string name, Func<Stream> open, long firstLineNumber = 1)
    {
        Name = name;
        _open = open;
        _firstLineNumber = firstLineNumber;
    }

    /// <summary>The input's name.</summary>
    public string Name { get; }

    /// <summary>A file.</summary>
    public static LineSource FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new LineSource(path, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            bufferSize: 1, FileOptions.SequentialScan));
    }

    /// <summary>Bytes in memory, named <paramref name="name"/> (for tests and host apps).</summary>
    public static LineSource FromBytes(string name, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new LineSource(name, () => new MemoryStream(content, writable: false));
    }

    /// <summary>
    /// Bytes in memory that continue an input at line <paramref name="firstLineNumber"/>, such as the lines appended to a
    /// followed log since the last read, so that locations name the line in the whole file.
    /// </summary>
    public static LineSource FromBytes(string name, byte[] content, long firstLineNumber)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstLineNumber, 1);
        return new LineSource(name, () => new MemoryStream(content, writable: false), firstLineNumber);
    }

    /// <summary>Text in memory, named <paramref name="name"/>.</summary>
    public static LineSource FromText(string name, string content) =>
        FromBytes(name, System.Text.Encoding.UTF8.GetBytes(content ?? throw new ArgumentNullException(nameof(content))));

    /// <summary>
    /// Reads the first lines (at most <paramref name="maximumBytes"/>) for detection, decoded leniently; an unreadable
    /// input gives none.
    /// </summary>
    public IReadOnlyList<string> Head(int maximumLines = 40, int maximumBytes = 64 * 1024)
    {
        var lines = new List<string>();
        Read(new ReadContext(Name), (line, _) =>
        {
            if (lines.Count < maximumLines)
            {
                lines.Add(System.Text.Encoding.UTF8.GetString(line[..Math.Min(line.Length, 4096)]));
            }
        }, maximumBytes);
        return lines;
    }

    /// <summary>
    /// Calls <paramref name="visitor"/> for every line. Problems (unreadable, binary, truncated compression, long lines,
    /// NUL bytes) are reported to <paramref name="context"/>; nothing is thrown for bad content.
    /// </summary>
    public void ForEachLine(ReadContext context, LineVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(visitor);
        Read(context, visitor, long.MaxValue);
    }

    private void Read(ReadContext context, LineVisitor visitor, long byteLimit)
    {
        Stream raw;
        try
        {
            raw = _open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            context.Report(0, InputDiagnosticSeverity.Error, $"cannot read: {e.Message}");
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            using (raw)
            {
                var trailerSize = GzipTrailerSize(raw);
                using var stream = trailerSize is null ? raw : new GZipStream(raw, CompressionMode.Decompress);
                Scan(stream, buffer, context, visitor, byteLimit, _firstLineNumber - 1);
                if (trailerSize is { } expected && byteLimit == long.MaxValue && (uint)context.Bytes != expected)
                {
                    // GZipStream ends quietly on a truncated file; the trailer's size (mod 2^32) tells.
                    context.Report(context.Lines + 1, InputDiagnosticSeverity.Error,
                        $"the compressed data ends early: {context.Bytes} bytes decompressed but the gzip trailer says {expected} "
                        + "(a truncated or corrupt file?); the lines before were read");
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            context.Report(context.Lines + 1, InputDiagnosticSeverity.Error,
                $"cannot read past line {context.Lines}: {e.Message} (a truncated or corrupt file?); the lines before were read");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>For a gzip input, the uncompressed size its trailer records (mod 2^32); null for anything else.</summary>
    private static uint? GzipTrailerSize(Stream stream)
    {
        if (!stream.CanSeek || stream.Length < 18)
        {
            return null;
        }

        Span<byte> magic = stackalloc byte[2];
        var read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        if (read != 2 || magic[0] != 0x1f || magic[1] != 0x8b)
        {
            stream.Position = 0;
            return null;
        }

        Span<byte> trailer = stackalloc byte[4];
        stream.Position = stream.Length - 4;
        stream.ReadExactly(trailer);
        stream.Position = 0;
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer);
    }

    private static void Scan(Stream stream, byte[] buffer, ReadContext context, LineVisitor visitor, long byteLimit, long linesBefore)
    {
        var filled = 0;
        var lineNumber = linesBefore;
        var checkedForBinary = false;
        var skippingLongLine = false;
        var longLineBytes = 0L;
        var nulLines = 0L;
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
                    context.Bytes = total;
                    return;
                }
            }

            var span = buffer.AsSpan(0, filled);
            var start = 0;
            while (true)
            {
                var newline = span[start..].IndexOf((byte)'\n');
                if (newline < 0)
                {
                    break;
                }

                var line = span.Slice(start, newline);
                start += newline + 1;
                if (skippingLongLine)
                {
                    // The break ends the over-long line whose head was already passed on (and counted).
                    skippingLongLine = false;
                    longLineBytes += line.Length;
                    context.Warn(lineNumber, $"line is {longLineBytes} bytes long; only its first {MaximumLineBytes} bytes were read");
                    continue;
                }

                lineNumber++;
                Emit(line, lineNumber, context, visitor, ref nulLines);
            }

            var rest = filled - start;
            if (atEnd)
            {
                if (rest > 0 && !skippingLongLine)
                {
                    lineNumber++;
                    Emit(span[start..], lineNumber, context, visitor, ref nulLines);
                }
                else if (skippingLongLine)
                {
                    context.Warn(lineNumber, $"line is {longLineBytes + rest} bytes long; only its first {MaximumLineBytes} bytes were read");
                }

                break;
            }

            if (rest >= MaximumLineBytes && !skippingLongLine)
            {
                // An over-long line: pass its head on once, then skip to its end.
                lineNumber++;
                Emit(span.Slice(start, MaximumLineBytes), lineNumber, context, visitor, ref nulLines);
                skippingLongLine = true;
                longLineBytes = rest;
                rest = 0;
            }
            else if (skippingLongLine)
            {
                longLineBytes += rest;
                rest = 0;
            }

            if (rest > 0 && start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, rest);
            }

            filled = rest;
        }

        context.Lines = lineNumber;
        context.Bytes = total;
        if (nulLines > 1)
        {
            context.Warn(0, $"{nulLines} lines contained NUL bytes (binary garbage) and were skipped");
        }
    }

    private static void Emit(ReadOnlySpan<byte> line, long number, ReadContext context, LineVisitor visitor, ref long nulLines)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        context.Lines = number;
        if (line.IndexOf((byte)0) >= 0)
        {
            if (nulLines++ == 0)
            {
                context.Warn(number, "line contains NUL bytes (binary garbage); skipped");
            }

            return;
        }

        visitor(line, number);
    }
}
