using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Quantities;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>
/// The output of procps <c>free</c>: the header (<c>total used free shared buff/cache available</c>, or before
/// procps-ng 3.3.10 <c>total used free shared buffers cached</c>), the <c>Mem:</c> row, the old
/// <c>-/+ buffers/cache:</c> row and the <c>Swap:</c> row, into one <see cref="MemoryUsage"/>.
/// </summary>
/// <remarks>
/// The unit is taken from, in order: the pasted command line (<c>-b -k -m -g</c>, <c>--si</c>, <c>--mebi</c>…), the file
/// name (<c>free-m.txt</c>), the suffixes <c>-h</c> prints (<c>3.8Gi</c>, <c>212Mi</c>, <c>0B</c>; the bare <c>G</c>/<c>M</c> of
/// procps-ng 3.3.10–3.3.12 read as binary units too), and otherwise free's default, KiB — reported as an assumption when
/// the total would also make sense in MiB, and replaced by MiB (or GiB) when KiB would give an impossibly small host.
/// </remarks>
internal sealed class FreeSection : IHostSection
{
    private const double KiB = 1024;
    private const double MiB = 1024 * 1024;
    private const double GiB = 1024 * 1024 * 1024;

    private readonly ReadContext _context;
    private readonly ObservationBudget _budget;
    private readonly Dictionary<string, int> _columns;
    private readonly double? _unit;
    private readonly bool _human;
    private FreeValue[]? _mem;
    private long _memLine;
    private FreeValue? _cacheFree;
    private FreeValue[]? _swap;
    private bool _anyBare;

    private FreeSection(ReadContext context, ObservationBudget budget, Dictionary<string, int> columns, double? unit, bool human)
    {
        _context = context;
        _budget = budget;
        _columns = columns;
        _unit = unit;
        _human = human;
    }

    /// <summary>True for free's header line.</summary>
    public static bool IsHeader(string line)
    {
        if (line.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        var tokens = HostText.Tokens(line);
        return tokens.Length >= 3 && tokens[0] == "total" && tokens[1] == "used" && tokens[2] == "free";
    }

    /// <summary>Starts a section at its header, with the unit the command line or the file name gives.</summary>
    public static FreeSection Start(ReadContext context, ObservationBudget budget, string header, HostCommand? command, string fileName)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokens = HostText.Tokens(header);
        for (var i = 0; i < tokens.Length; i++)
        {
            columns.TryAdd(tokens[i], i);
        }

        double? unit;
        bool human;
        if (command?.Tool == HostTool.Free)
        {
            // The command line says: a unit flag, -h, or none at all (free's default, KiB).
            human = command.FreeIsHuman;
            unit = command.FreeUnit() ?? (human ? null : KiB);
        }
        else
        {
            (unit, human) = FromFileName(fileName);
        }

        return new FreeSection(context, budget, columns, unit, human);
    }

    /// <inheritdoc />
    public bool Line(string line, long number)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith("Mem:", StringComparison.Ordinal))
        {
            _mem = Values(trimmed[4..], number, "Mem:");
            _memLine = number;
            return true;
        }

        if (trimmed.StartsWith("-/+ buffers/cache:", StringComparison.Ordinal))
        {
            var values = Values(trimmed[18..], number, "-/+ buffers/cache:");
            _cacheFree = values is { Length: >= 2 } ? values[1] : null;
            return true;
        }

        if (trimmed.StartsWith("Swap:", StringComparison.Ordinal))
        {
            _swap = Values(trimmed[5..], number, "Swap:");
            return true;
        }

        // -l, -t and --committed rows: Low:, High:, Total:, Comm:.
        return trimmed.StartsWith("Low:", StringComparison.Ordinal) || trimmed.StartsWith("High:", StringComparison.Ordinal)
            || trimmed.StartsWith("Total:", StringComparison.Ordinal) || trimmed.StartsWith("Comm:", StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public void Finish()
    {
        if (_mem is null)
        {
            if (_swap is not null && _memLine == 0)
            {
                _context.Warn(0, "free's output has a Swap: row but no Mem: row; no memory usage was read");
            }

            return;
        }

        if (!Column("total", _mem, out var total))
        {
            _context.Warn(_memLine, "free's Mem: row has no total; skipped");
            return;
        }

        var scale = Scale(total);
        double available;
        if (Column("available", _mem, out var reported))
        {
            available = reported.Bytes(scale);
        }
        else if (_cacheFree is { } cacheFree)
        {
            // Before procps-ng 3.3.10 the -/+ buffers/cache row's free column was the memory available to programs.
            available = cacheFree.Bytes(scale);
        }
        else if (Column("free", _mem, out var free))
        {
            var buffers = Column("buffers", _mem, out var b) ? b.Bytes(scale) : 0;
            var cache = Column("cached", _mem, out var c) || Column("cache", _mem, out c) || Column("buff/cache", _mem, out c) ? c.Bytes(scale) : 0;
            available = free.Bytes(scale) + buffers + cache;
            _context.Warn(_memLine, "free printed no 'available' column; available memory approximated as free + buffers + cache");
        }
        else
        {
            _context.Warn(_memLine, "free's Mem: row has neither an available nor a free column; skipped");
            return;
        }

        var totalBytes = total.Bytes(scale);
        var usage = new MemoryUsage(Size(totalBytes), Size(Math.Min(available, totalBytes)), _context.At(_memLine));
        if (_swap is { Length: >= 2 })
        {
            usage = usage with { SwapTotal = Size(_swap[0].Bytes(scale)), SwapUsed = Size(_swap[1].Bytes(scale)) };
        }

        if (_budget.Take(_memLine, "memory"))
        {
            _context.Add(usage);
        }
    }

    private static (double? Unit, bool Human) FromFileName(string fileName)
    {
        var name = Path.GetFileName(fileName).ToLowerInvariant();
        foreach (var (flag, unit) in new[] { ('b', 1.0), ('k', KiB), ('m', MiB), ('g', GiB), ('h', 0.0) })
        {
            foreach (var prefix in new[] { "free-", "free_", "free -", "free--", "free_-" })
            {
                var at = name.IndexOf(prefix + flag, StringComparison.Ordinal);
                var after = at + prefix.Length + 1;
                if (at >= 0 && (after >= name.Length || !char.IsAsciiLetter(name[after])))
                {
                    return unit == 0 ? (null, true) : (unit, false);
                }
            }
        }

        return (null, false);
    }

    /// <summary>Reads a row's values; a value with a suffix (<c>-h</c>) is turned into bytes at once.</summary>
    private FreeValue[]? Values(string text, long number, string row)
    {
        var tokens = HostText.Tokens(text);
        var values = new FreeValue[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!TryValue(tokens[i], out values[i]))
            {
                _context.Warn(number, $"free's {row} row has an unreadable value '{HostText.Truncate(tokens[i], 40)}'; the row was skipped");
                return null;
            }
        }

        return values;
    }

    private bool TryValue(string token, out FreeValue value)
    {
        value = default;
        var digits = token.Length;
        while (digits > 0 && char.IsAsciiLetter(token[digits - 1]))
        {
            digits--;
        }

        if (!HostText.TryNumber(token.AsSpan(0, digits), out var number))
        {
            return false;
        }

        var suffix = token[digits..];
        if (suffix.Length == 0)
        {
            _anyBare = true;
            value = new FreeValue(number, null);
            return true;
        }

        double? multiplier = suffix switch
        {
            "B" => 1,
            "K" or "Ki" or "k" => KiB,
            "M" or "Mi" => MiB,
            "G" or "Gi" => GiB,
            "T" or "Ti" => GiB * 1024,
            "P" or "Pi" => GiB * 1024 * 1024,
            _ => null,
        };
        if (multiplier is not { } m)
        {
            return false;
        }

        value = new FreeValue(number, number * m);
        return true;
    }

    /// <summary>The bytes per unit of bare numbers.</summary>
    private double Scale(FreeValue total)
    {
        if (_unit is { } unit)
        {
            return unit;
        }

        if (total.InBytes is not null || (_human && !_anyBare))
        {
            // -h: every value carries its own unit.
            return 1;
        }

        // No unit stated: free's default is KiB. A total that as KiB would be a host of under 64 MiB was printed in MiB
        // (or, under 64, GiB); one that would also make sense in MiB is reported as an assumption.
        var bare = total.Number;
        if (bare > 0 && bare < 64)
        {
            _context.Warn(_memLine, $"free's unit is not stated; a total of {HostText.Format(bare)} is read as GiB (as KiB or MiB the host would be impossibly small)");
            return GiB;
        }

        if (bare > 0 && bare < 65_536)
        {
            _context.Warn(_memLine, $"free's unit is not stated; a total of {HostText.Format(bare)} is read as MiB (free -m): as KiB, free's default, the host would have under 64 MiB");
            return MiB;
        }

        if (bare < 16_777_216)
        {
            _context.Warn(_memLine, "free's unit is not stated (no command line, -h suffixes or free-m file name); read as KiB, free's default; "
                + "paste the command line (e.g. '$ free -m') to be sure");
        }

        return KiB;
    }

    private bool Column(string name, FreeValue[] row, out FreeValue value)
    {
        value = default;
        if (!_columns.TryGetValue(name, out var index) || index >= row.Length)
        {
            return false;
        }

        value = row[index];
        return true;
    }

    private static ByteSize Size(double bytes) => new((long)Math.Min(Math.Round(bytes), long.MaxValue / 2.0));

    /// <summary>A value of free's: a bare number in the section's unit, or (with a suffix) already in bytes.</summary>
    private readonly record struct FreeValue(double Number, double? InBytes)
    {
        public double Bytes(double scale) => InBytes ?? Number * scale;
    }
}
