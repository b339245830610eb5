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

    private const int BufferBytes = 4 * 1024 * 1024;

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

    /// <summary>
    /// Calls <paramref name="visitor"/> only for the lines that contain one of <paramref name="markers"/>, for the first and
    /// the last line, and for every line after one for which it returned true. The input is searched in blocks, not line
    /// by line, so the cost of the lines in between is a vectorized search and a count of line breaks; their problems
    /// (NUL bytes, invalid UTF-8, over-long lines) are still reported with their line numbers.
    /// </summary>
    public void ForEachMarkedLine(ReadContext context, LineMarkers markers, MarkedLineVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(markers);
        ArgumentNullException.ThrowIfNull(visitor);
        Read(new LineScan(context, _firstLineNumber - 1, null, markers, visitor), long.MaxValue);
    }

    private void Read(ReadContext context, LineVisitor visitor, long byteLimit) =>
        Read(new LineScan(context, _firstLineNumber - 1, visitor, null, null), byteLimit);

    private void Read(LineScan scan, long byteLimit)
    {
        var context = scan.Context;
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
                scan.Run(stream, buffer, byteLimit);
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
}
