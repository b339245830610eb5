using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Quantities;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>
/// <c>/proc/meminfo</c> (<c>MemTotal:  4025448 kB</c>, …): a <see cref="MemoryUsage"/> (MemTotal, MemAvailable, SwapTotal,
/// SwapTotal − SwapFree) and <see cref="HostFacts"/> with the memory and swap sizes, at the MemTotal line. Kernels before
/// 3.14 have no MemAvailable: it is then approximated as MemFree + Buffers + Cached, and reported.
/// </summary>
internal sealed class MeminfoSection(ReadContext context, ObservationBudget budget) : IHostSection
{
    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal)
    {
        "MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached", "Active", "Inactive", "SwapTotal", "SwapFree", "Dirty",
        "Writeback", "AnonPages", "Mapped", "Shmem", "Slab", "Committed_AS", "VmallocTotal",
    };

    private readonly Dictionary<string, (double KiB, long Line)> _values = new(StringComparer.Ordinal);
    private long _firstLine;

    /// <summary>True for a line that opens a meminfo listing (a well-known key with a kB value).</summary>
    public static bool IsStart(string line) => TryEntry(line, out var key, out _) && Keys.Contains(key);

    /// <inheritdoc />
    public bool Line(string line, long number)
    {
        if (!TryEntry(line, out var key, out var kib))
        {
            return false;
        }

        if (_firstLine == 0)
        {
            _firstLine = number;
        }

        if (kib is { } value && _values.Count < 200)
        {
            _values.TryAdd(key, (value, number));
        }

        return true;
    }

    /// <inheritdoc />
    public void Finish()
    {
        if (!_values.TryGetValue("MemTotal", out var total))
        {
            context.Warn(_firstLine, "the /proc/meminfo listing has no MemTotal line; no memory usage was read");
            return;
        }

        double available;
        if (_values.TryGetValue("MemAvailable", out var reported))
        {
            available = reported.KiB;
        }
        else
        {
            available = Get("MemFree") + Get("Buffers") + Get("Cached");
            context.Warn(total.Line, "/proc/meminfo has no MemAvailable (a kernel before 3.14?); available memory approximated as MemFree + Buffers + Cached");
        }

        if (!budget.Take(total.Line, "memory"))
        {
            return;
        }

        var swapTotal = Get("SwapTotal");
        var swapFree = _values.TryGetValue("SwapFree", out var free) ? free.KiB : swapTotal;
        var location = context.At(total.Line);
        context.Add(new MemoryUsage(ByteSize.FromKibibytes(total.KiB), ByteSize.FromKibibytes(Math.Min(available, total.KiB)), location)
        {
            SwapTotal = ByteSize.FromKibibytes(swapTotal),
            SwapUsed = ByteSize.FromKibibytes(Math.Max(0, swapTotal - swapFree)),
        });
        context.Add(new HostFacts(location)
        {
            Memory = ByteSize.FromKibibytes(total.KiB),
            Swap = _values.ContainsKey("SwapTotal") ? ByteSize.FromKibibytes(swapTotal) : null,
        });
    }

    /// <summary>Reads <c>Key:   1234 kB</c> (value in KiB) or <c>Key:   12</c> (a count, no KiB value).</summary>
    private static bool TryEntry(string line, out string key, out double? kib)
    {
        key = "";
        kib = null;
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon > 40)
        {
            return false;
        }

        for (var i = 0; i < colon; i++)
        {
            if (!char.IsAsciiLetterOrDigit(line[i]) && line[i] is not '_' and not '(' and not ')')
            {
                return false;
            }
        }

        var tokens = HostText.Tokens(line[(colon + 1)..]);
        if (tokens.Length is 0 or > 2 || (tokens.Length == 2 && tokens[1] != "kB") || !HostText.TryNumber(tokens[0], out var value))
        {
            return false;
        }

        key = line[..colon];
        kib = tokens.Length == 2 ? value : null;
        return true;
    }

    private double Get(string key) => _values.TryGetValue(key, out var value) ? value.KiB : 0;
}
