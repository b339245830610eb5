using System.Text;

namespace Gunicorn.Insights.Benchmarks.Generation;

/// <summary>
/// Writes ASCII log text straight into a large byte buffer, so generating gigabytes is bound by the disk rather than by
/// string formatting; counts bytes and lines as it goes.
/// </summary>
public sealed class LogTextWriter : IDisposable
{
    private const int BufferBytes = 4 * 1024 * 1024;
    private readonly Stream _output;
    private readonly byte[] _buffer = new byte[BufferBytes];
    private int _filled;

    /// <summary>Writes to <paramref name="output"/>, which it owns.</summary>
    public LogTextWriter(Stream output) => _output = output ?? throw new ArgumentNullException(nameof(output));

    /// <summary>Bytes written so far (including those still buffered).</summary>
    public long Bytes { get; private set; }

    /// <summary>Lines ended so far.</summary>
    public long Lines { get; private set; }

    /// <summary>Appends ASCII text.</summary>
    public LogTextWriter Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Ensure(text.Length);
        _filled += Encoding.ASCII.GetBytes(text, _buffer.AsSpan(_filled));
        Bytes += text.Length;
        return this;
    }

    /// <summary>Appends a non-negative integer, zero-padded to <paramref name="width"/> digits.</summary>
    public LogTextWriter Number(long value, int width = 1)
    {
        Span<byte> digits = stackalloc byte[20];
        var count = 0;
        do
        {
            digits[count++] = (byte)('0' + (value % 10));
            value /= 10;
        }
        while (value > 0);

        while (count < width)
        {
            digits[count++] = (byte)'0';
        }

        Ensure(count);
        for (var i = count - 1; i >= 0; i--)
        {
            _buffer[_filled++] = digits[i];
        }

        Bytes += count;
        return this;
    }

    /// <summary>Appends seconds with six decimals, as Gunicorn's <c>%(L)s</c> atom writes a request time.</summary>
    public LogTextWriter Seconds(double seconds)
    {
        var micros = (long)Math.Round(seconds * 1_000_000);
        return Number(micros / 1_000_000).Text(".").Number(micros % 1_000_000, 6);
    }

    /// <summary>Ends the line.</summary>
    public void EndLine()
    {
        Ensure(1);
        _buffer[_filled++] = (byte)'\n';
        Bytes++;
        Lines++;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Flush();
        _output.Dispose();
    }

    private void Ensure(int count)
    {
        if (_filled + count > _buffer.Length)
        {
            Flush();
        }
    }

    private void Flush()
    {
        _output.Write(_buffer, 0, _filled);
        _filled = 0;
    }
}
