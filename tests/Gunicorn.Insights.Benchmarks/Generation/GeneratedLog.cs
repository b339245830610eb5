namespace Gunicorn.Insights.Benchmarks.Generation;

/// <summary>What a generator wrote: size, lines, and how many lines of each kind a scan should find.</summary>
/// <param name="Bytes">Bytes written.</param>
/// <param name="Lines">Lines written.</param>
/// <param name="Counts">Lines per kind (signature text or status class), for checking a reader's or a peer tool's counts.</param>
public sealed record GeneratedLog(long Bytes, long Lines, IReadOnlyDictionary<string, long> Counts)
{
    /// <summary>One line per count, for the console.</summary>
    public override string ToString() =>
        $"{Bytes} bytes, {Lines} lines; " + string.Join(", ", Counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}: {c.Value}"));
}
