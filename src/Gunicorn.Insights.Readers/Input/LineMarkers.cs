using System.Buffers;
using System.Text;

namespace Gunicorn.Insights.Readers.Input;

/// <summary>
/// A set of ASCII texts that mark the lines a reader acts on, searched for across whole blocks of an input at once
/// (a vectorized multi-text search) rather than line by line, so a reader that needs only rare lines of a large log
/// pays for those lines, not for every line. See <see cref="LineSource.ForEachMarkedLine"/>.
/// </summary>
public sealed class LineMarkers
{
    // Bytes are widened to chars in slices this long, so the widened copy stays in the CPU's nearest caches.
    private const int SliceBytes = 16 * 1024;

#if NET9_0_OR_GREATER
    private readonly SearchValues<string> _search;
#else
    private readonly byte[][] _search;
#endif

    /// <summary>Creates the set; every marker is a non-empty ASCII text without line breaks, matched case-sensitively.</summary>
    public LineMarkers(IEnumerable<string> markers)
    {
        ArgumentNullException.ThrowIfNull(markers);
        Texts = [.. markers];
        if (Texts.Count == 0)
        {
            throw new ArgumentException("at least one marker is needed", nameof(markers));
        }

        foreach (var marker in Texts)
        {
            if (string.IsNullOrEmpty(marker) || !Ascii.IsValid(marker) || marker.AsSpan().IndexOfAny('\n', '\r') >= 0)
            {
                throw new ArgumentException($"marker '{marker}' is not a non-empty ASCII text on one line", nameof(markers));
            }
        }

        LongestMarker = Texts.Max(m => m.Length);
#if NET9_0_OR_GREATER
        _search = SearchValues.Create([.. Texts], StringComparison.Ordinal);
#else
        _search = [.. Texts.Select(Encoding.ASCII.GetBytes)];
#endif
    }

    /// <summary>The marker texts.</summary>
    public IReadOnlyList<string> Texts { get; }

    private int LongestMarker { get; }

    /// <summary>True when <paramref name="line"/> contains one of the markers.</summary>
    public bool IsIn(ReadOnlySpan<byte> line) => IndexIn(line) >= 0;

    /// <summary>The position of the first marker in <paramref name="bytes"/>, or -1.</summary>
    internal int IndexIn(ReadOnlySpan<byte> bytes)
    {
#if NET9_0_OR_GREATER
        // UTF-8 bytes widened one to one (Latin-1) keep their positions, and an ASCII marker can only match ASCII bytes.
        Span<char> chars = stackalloc char[SliceBytes];
        var step = SliceBytes - LongestMarker + 1;
        for (var offset = 0; offset < bytes.Length; offset += step)
        {
            var slice = bytes.Slice(offset, Math.Min(SliceBytes, bytes.Length - offset));
            var count = Encoding.Latin1.GetChars(slice, chars);
            var found = chars[..count].IndexOfAny(_search);
            if (found >= 0)
            {
                return offset + found;
            }

            if (offset + slice.Length == bytes.Length)
            {
                break;
            }
        }

        return -1;
#else
        var first = -1;
        foreach (var marker in _search)
        {
            var limit = first < 0 ? bytes : bytes[..Math.Min(bytes.Length, first + marker.Length - 1)];
            var found = limit.IndexOf(marker);
            if (found >= 0 && (first < 0 || found < first))
            {
                first = found;
            }
        }

        return first;
#endif
    }
}
