using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Quantities;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>
/// One frame of procps <c>top</c> (batch <c>top -b -n 1</c> or a pasted interactive screen): the summary (the
/// <c>top - 23:45:22 up …, load average: …</c> line, <c>%Cpu(s):</c> or the per-CPU <c>%Cpu0 :</c> lines, <c>MiB Mem :</c>
/// and <c>MiB Swap:</c>, or procps 3.2's <c>Cpu(s):</c>, <c>Mem:</c> and <c>Swap:</c>) and the process table.
/// </summary>
/// <remarks>
/// Gives a host <see cref="CpuUsage"/> (100 − idle, <c>wa</c> as I/O wait), a <see cref="MemoryUsage"/>, the load
/// averages as <c>node_load1</c>/<c>node_load5</c>/<c>node_load15</c> gauges, and a per-process <see cref="CpuUsage"/> for
/// every Gunicorn process in the table (COMMAND <c>gunicorn</c>, <c>gunicorn: worker [app]</c>, or a Python command line
/// running gunicorn). top prints only a time of day: the samples get a timestamp only when the input gave a date before
/// (a <c>date</c> line, a <c>vmstat -t</c> sample).
/// </remarks>
internal sealed class TopSection(ReadContext context, ClockReference clock, ObservationBudget budget) : IHostSection
{
    private const int MaximumProcessName = 200;

    private bool _headerSeen;
    private DateTimeOffset? _time;
    private List<LabelledValues.Item>? _mem;
    private long _memLine;
    private bool _memSkipped;
    private double _memUnit;
    private bool _cpuSeen;
    private int _perCpuCount;
    private double _perCpuBusy;
    private double _perCpuWait;
    private long _perCpuLine;
    private Dictionary<string, int>? _columns;

    /// <summary>True for the first line of a top frame: <c>top - 23:45:22 up 12 days, …</c>.</summary>
    public static bool IsHeader(string line) => line.StartsWith("top - ", StringComparison.Ordinal) && line.Contains(" up ", StringComparison.Ordinal);

    /// <summary>True for a summary CPU line, which may open a pasted top without its first line.</summary>
    public static bool IsCpuLine(string line) =>
        (line.StartsWith("%Cpu", StringComparison.Ordinal) || line.StartsWith("Cpu(s):", StringComparison.Ordinal)) && line.Contains(':', StringComparison.Ordinal);

    /// <inheritdoc />
    public bool Line(string line, long number)
    {
        if (IsHeader(line))
        {
            if (_headerSeen || _cpuSeen || _mem is not null || _columns is not null)
            {
                return false;
            }

            _headerSeen = true;
            Header(line, number);
            return true;
        }

        if (IsCpuLine(line))
        {
            Cpu(line, number);
            return true;
        }

        FlushPerCpu();
        var trimmed = line.TrimStart();
        if (line.Length == 0 || trimmed.StartsWith("Tasks:", StringComparison.Ordinal) || trimmed.StartsWith("Threads:", StringComparison.Ordinal)
            || trimmed.StartsWith("%Node", StringComparison.Ordinal))
        {
            return true;
        }

        if (MemoryUnit(trimmed, "Mem") is { } memUnit)
        {
            Memory(trimmed, number, memUnit);
            return true;
        }

        if (MemoryUnit(trimmed, "Swap") is { } swapUnit)
        {
            Swap(trimmed, number, swapUnit);
            return true;
        }

        var tokens = HostText.Tokens(line);
        if (tokens.Contains("PID") && tokens.Contains("COMMAND") && tokens.Contains("%CPU"))
        {
            _columns = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < tokens.Length; i++)
            {
                _columns.TryAdd(tokens[i], i);
            }

            return true;
        }

        if (_columns is not null && tokens.Length > 0 && char.IsAsciiDigit(tokens[0][0]))
        {
            Process(line, number);
            return true;
        }

        return false;
    }

    /// <inheritdoc />
    public void Finish()
    {
        FlushPerCpu();
        if (_mem is not null)
        {
            AddMemory(null);
        }
    }

    private void Header(string line, long number)
    {
        var tokens = HostText.Tokens(line);
        _time = tokens.Length > 2 ? clock.AtTimeOfDay(tokens[2]) : null;
        var load = line.IndexOf("load average:", StringComparison.Ordinal);
        if (load >= 0 && budget.Take(number, "load average"))
        {
            LoadAverage.Add(context, line[(load + 13)..], number, _time);
        }
    }

    private void Cpu(string line, long number)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        var label = line[..colon].Trim();
        var aggregate = label is "%Cpu(s)" or "Cpu(s)";
        if (!LabelledValues.TryParse(line[(colon + 1)..], out var items, out var bad)
            || LabelledValues.Find(items, "id") is not { } idle || idle.Value > 100.5)
        {
            context.Warn(number, bad.Length > 0
                ? $"top's CPU line has an unreadable value '{HostText.Truncate(bad, 40)}'; skipped"
                : "top's CPU line shows no idle ('id') share (the bar or graph display?); skipped");
            return;
        }

        var wait = LabelledValues.Find(items, "wa")?.Value;
        if (aggregate)
        {
            _cpuSeen = true;
            if (budget.Take(number, "CPU"))
            {
                context.Add(new CpuUsage(new Percentage(Math.Max(0, 100 - idle.Value)), context.At(number))
                {
                    IoWait = wait is { } w ? new Percentage(w) : null,
                    Timestamp = _time,
                });
            }

            return;
        }

        // Per-CPU lines (top's '1' toggle): the host figure is their average.
        if (_perCpuCount++ == 0)
        {
            _perCpuLine = number;
        }

        _perCpuBusy += Math.Max(0, 100 - idle.Value);
        _perCpuWait += wait ?? 0;
    }

    private void FlushPerCpu()
    {
        if (_perCpuCount == 0)
        {
            return;
        }

        if (!_cpuSeen && budget.Take(_perCpuLine, "CPU"))
        {
            context.Add(new CpuUsage(new Percentage(_perCpuBusy / _perCpuCount), context.At(_perCpuLine))
            {
                IoWait = new Percentage(_perCpuWait / _perCpuCount),
                Timestamp = _time,
            });
        }

        _cpuSeen = true;
        _perCpuCount = 0;
    }

    /// <summary>Bytes per unit of a <c>KiB Mem :</c>/<c>MiB Swap:</c> line (procps 3.2's <c>Mem:</c> is KiB); null for other lines.</summary>
    private static double? MemoryUnit(string line, string what)
    {
        if (!line.Contains("total", StringComparison.Ordinal))
        {
            return null;
        }

        if (line.StartsWith(what + ":", StringComparison.Ordinal))
        {
            return 1024;
        }

        if (line.Length < 5 || line[1] != 'i' || line[2] != 'B' || !line.AsSpan(3).TrimStart().StartsWith(what, StringComparison.Ordinal))
        {
            return null;
        }

        return line[0] switch
        {
            'K' => 1024.0,
            'M' => 1024.0 * 1024,
            'G' => 1024.0 * 1024 * 1024,
            'T' => 1024.0 * 1024 * 1024 * 1024,
            'P' => 1024.0 * 1024 * 1024 * 1024 * 1024,
            'E' => 1024.0 * 1024 * 1024 * 1024 * 1024 * 1024,
            _ => null,
        };
    }

    private void Memory(string line, long number, double unit)
    {
        if (_mem is not null)
        {
            AddMemory(null);
        }

        _memSkipped = true;
        if (Values(line, number, "Mem") is { } items)
        {
            _memSkipped = false;
            _mem = items;
            _memLine = number;
            _memUnit = unit;
        }
    }

    private void Swap(string line, long number, double unit)
    {
        if (_mem is null)
        {
            if (!_memSkipped)
            {
                context.Warn(number, "top's Swap line comes without a Mem line; skipped");
            }

            return;
        }

        if (Values(line, number, "Swap") is { } items)
        {
            AddMemory((items, unit));
        }
    }

    private List<LabelledValues.Item>? Values(string line, long number, string what)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        var bad = line;
        if (colon < 0 || !LabelledValues.TryParse(line[(colon + 1)..], out var items, out bad))
        {
            context.Warn(number, $"top's {what} line has an unreadable value '{HostText.Truncate(bad, 40)}'; skipped");
            return null;
        }

        if (items.Any(i => i.Truncated))
        {
            context.Warn(number, $"top cut the {what} line's values short ('+': the column is too narrow); skipped — run top with -E m or -E g");
            return null;
        }

        return items;
    }

    private void AddMemory((List<LabelledValues.Item> Items, double Unit)? swap)
    {
        var mem = _mem!;
        _mem = null;
        if (LabelledValues.Find(mem, "total") is not { } total)
        {
            context.Warn(_memLine, "top's Mem line has no total; skipped");
            return;
        }

        double available;
        if (swap is { } s && LabelledValues.Find(s.Items, "avail Mem") is { } avail)
        {
            available = avail.Value * _memUnit;
        }
        else
        {
            var free = LabelledValues.Find(mem, "free")?.Value ?? 0;
            var buffers = (LabelledValues.Find(mem, "buffers") ?? LabelledValues.Find(mem, "buff/cache"))?.Value ?? 0;
            var cached = swap is { } old ? (LabelledValues.Find(old.Items, "cached Mem") ?? LabelledValues.Find(old.Items, "cached"))?.Value ?? 0 : 0;
            available = (free + buffers + cached) * _memUnit;
            context.Warn(_memLine, "top printed no 'avail Mem'; available memory approximated as free + buffers + cache");
        }

        var totalBytes = total.Value * _memUnit;
        var usage = new MemoryUsage(Bytes(totalBytes), Bytes(Math.Min(available, totalBytes)), context.At(_memLine)) { Timestamp = _time };
        if (swap is { } withSwap && LabelledValues.Find(withSwap.Items, "total") is { } swapTotal)
        {
            var used = LabelledValues.Find(withSwap.Items, "used")?.Value
                ?? Math.Max(0, swapTotal.Value - (LabelledValues.Find(withSwap.Items, "free")?.Value ?? swapTotal.Value));
            usage = usage with { SwapTotal = Bytes(swapTotal.Value * withSwap.Unit), SwapUsed = Bytes(used * withSwap.Unit) };
        }

        if (budget.Take(_memLine, "memory"))
        {
            context.Add(usage);
        }
    }

    private void Process(string line, long number)
    {
        var columns = _columns!;
        if (!columns.TryGetValue("PID", out var pidColumn) || !columns.TryGetValue("%CPU", out var cpuColumn)
            || !columns.TryGetValue("COMMAND", out var commandColumn) || commandColumn < pidColumn || commandColumn < cpuColumn)
        {
            return;
        }

        var tokens = HostText.TokensWithOffsets(line, commandColumn + 1);
        if (tokens.Count <= commandColumn)
        {
            context.Warn(number, $"top's process row has {tokens.Count} columns where the header has {commandColumn + 1}; skipped");
            return;
        }

        var command = line[tokens[commandColumn].Start..].Trim();
        if (!command.Contains("gunicorn", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (!HostText.TryInteger(tokens[pidColumn].Token, out var pid) || !HostText.TryNumber(tokens[cpuColumn].Token, out var cpu))
        {
            context.Warn(number, $"top's row for '{HostText.Truncate(SecretRedactor.Redact(command), 60)}' has an unreadable PID or %CPU; skipped");
            return;
        }

        if (budget.Take(number, "process CPU"))
        {
            context.Add(new CpuUsage(new Percentage(cpu), context.At(number))
            {
                Pid = pid,
                ProcessName = HostText.Truncate(SecretRedactor.Redact(command), MaximumProcessName),
                Timestamp = _time,
            });
        }
    }

    private static ByteSize Bytes(double bytes) => new((long)Math.Min(Math.Round(bytes), long.MaxValue / 2.0));
}
