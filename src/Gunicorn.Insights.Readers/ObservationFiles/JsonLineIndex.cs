namespace Gunicorn.Insights.Readers.ObservationFiles;

/// <summary>
/// Turns byte offsets into 1-based line numbers by counting line feeds, incrementally: asked in increasing order (as a
/// reader walks the document), the whole document is scanned once.
/// </summary>
internal sealed class JsonLineIndex(ReadOnlyMemory<byte> json)
{
    private long _offset;
    private long _line = 1;

    /// <summary>The line that holds the byte at <paramref name="offset"/>.</summary>
    public long LineOf(long offset)
    {
        offset = Math.Clamp(offset, 0, json.Length);
        if (offset < _offset)
        {
            _offset = 0;
            _line = 1;
        }

        _line += json.Span[(int)_offset..(int)offset].Count((byte)'\n');
        _offset = offset;
        return _line;
    }
}
