using System.Runtime.CompilerServices;

namespace Gunicorn.Insights.Readers.AccessLogs;

/// <summary>
/// A batch of requests read from bytes on the reading thread and counted on another, with copies of the bytes they still
/// need (paths, and the lines of 5xx responses for their signatures). Reused once counted.
/// </summary>
internal sealed class CountedLines
{
    /// <summary>The most requests per batch.</summary>
    public const int Capacity = 1024;

    /// <summary>A batch holding this many bytes is handed on however few requests it has.</summary>
    private const int MaximumBytes = 1024 * 1024;

    private readonly CountedLine[] _lines = new CountedLine[Capacity];
    private byte[] _bytes = new byte[64 * 1024];
    private int _used;

    /// <summary>The requests in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>True when the batch should be handed on.</summary>
    public bool Full => Count == Capacity || _used >= MaximumBytes;

    /// <summary>Adds a request with copies of its path and text (when it has them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(CountedLine line, ReadOnlySpan<byte> path, bool hasPath, ReadOnlySpan<byte> text, bool hasText)
    {
        (line.PathStart, line.PathLength) = hasPath ? Keep(path) : (0, -1);
        (line.TextStart, line.TextLength) = hasText ? Keep(text) : (0, -1);
        _lines[Count++] = line;
    }

    /// <summary>The request at <paramref name="index"/>.</summary>
    public ref readonly CountedLine Line(int index) => ref _lines[index];

    /// <summary>The path of the request at <paramref name="index"/> (empty when it has none).</summary>
    public ReadOnlySpan<byte> Path(int index) =>
        _lines[index].PathLength < 0 ? default : _bytes.AsSpan(_lines[index].PathStart, _lines[index].PathLength);

    /// <summary>The kept text of the request at <paramref name="index"/> (empty when none was kept).</summary>
    public ReadOnlySpan<byte> Text(int index) =>
        _lines[index].TextLength < 0 ? default : _bytes.AsSpan(_lines[index].TextStart, _lines[index].TextLength);

    /// <summary>Empties the batch for reuse.</summary>
    public void Clear()
    {
        Count = 0;
        _used = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (int Start, int Length) Keep(ReadOnlySpan<byte> bytes)
    {
        if (_used + bytes.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(2 * _bytes.Length, _used + bytes.Length));
        }

        var start = _used;
        bytes.CopyTo(_bytes.AsSpan(start));
        _used += bytes.Length;
        return (start, bytes.Length);
    }
}
