using System.Globalization;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Quantities;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>
/// procps <c>vmstat [delay [count]]</c> in VM mode, plain, wide (<c>-w</c>), active (<c>-a</c>) or with timestamps (<c>-t</c>):
/// per sample a host <see cref="CpuUsage"/> (100 − <c>id</c>, <c>wa</c> as I/O wait, <c>b</c> as blocked processes) and a
/// <see cref="SwapActivity"/> (<c>si</c>/<c>so</c>).
/// </summary>
/// <remarks>
/// Columns are found by name in the header, so any column set and order works. The first sample of a run averages
/// everything since boot, not the interval, and is skipped (and reported) unless the command line shows <c>-y</c>.
/// <c>si</c>/<c>so</c> are KiB/s unless the command line shows <c>-S</c>/<c>--unit</c> (<c>k</c> 1000, <c>K</c> 1024,
/// <c>m</c> 10⁶, <c>M</c> 2²⁰ bytes: procps scales them with the memory columns, whatever its manual says).
/// The interval is the command line's delay or, with <c>-t</c>, the time between samples.
/// </remarks>
internal sealed class VmstatSection(ReadContext context, ClockReference clock, ObservationBudget budget, HostCommand? command) : IHostSection
{
    private static readonly HashSet<string> KnownColumns = new(StringComparer.Ordinal)
    {
        "r", "b", "swpd", "free", "buff", "cache", "inact", "active", "si", "so", "bi", "bo", "in", "cs", "us", "sy", "id", "wa", "st", "gu",
    };

    private readonly double _unit = command?.Tool == HostTool.Vmstat ? command.VmstatUnit() ?? 1024 : 1024;
    private readonly TimeSpan? _delay = command?.Tool == HostTool.Vmstat ? command.VmstatDelay() : null;
    private readonly bool _omitsFirst = command?.Tool == HostTool.Vmstat && command.VmstatOmitsFirst;
    private Dictionary<string, int>? _columns;
    private int _columnCount;
    private string? _zone;
    private TimeSpan? _offset;
    private bool _zoneReported;
    private long _rows;
    private DateTimeOffset? _lastTime;

    /// <summary>True for vmstat's first header line (<c>procs ---memory--- ---swap-- …</c>) or its column line (<c>r  b   swpd …</c>).</summary>
    public static bool IsHeader(string line)
    {
        var trimmed = line.TrimStart();
        if ((trimmed.StartsWith("procs ", StringComparison.Ordinal) || trimmed.StartsWith("--procs--", StringComparison.Ordinal))
            && trimmed.Contains("memory", StringComparison.Ordinal))
        {
            return true;
        }

        return IsColumnLine(trimmed);
    }

    /// <inheritdoc />
    public bool Line(string line, long number)
    {
        var trimmed = line.TrimStart();
        if (IsColumnLine(trimmed))
        {
            Columns(trimmed, number);
            return true;
        }

        if (IsHeader(trimmed))
        {
            return true;
        }

        var tokens = HostText.Tokens(trimmed);
        if (tokens.Length == 0 || !char.IsAsciiDigit(tokens[0][0]))
        {
            return false;
        }

        Row(tokens, number);
        return true;
    }

    /// <inheritdoc />
    public void Finish()
    {
        if (_rows == 1 && !_omitsFirst)
        {
            context.Warn(0, "vmstat printed only its since-boot sample (no delay given?); no interval samples were read — run e.g. 'vmstat 1 10'");
        }
    }

    private static bool IsColumnLine(string trimmed)
    {
        if (!trimmed.StartsWith("r ", StringComparison.Ordinal))
        {
            return false;
        }

        var tokens = HostText.Tokens(trimmed);
        return tokens.Length > 4 && tokens[1] == "b" && tokens.Contains("id") && tokens.Contains("si");
    }

    private void Columns(string trimmed, long number)
    {
        var tokens = HostText.Tokens(trimmed);
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        _columnCount = 0;
        _zone = null;
        for (var i = 0; i < tokens.Length; i++)
        {
            if (KnownColumns.Contains(tokens[i]))
            {
                _columns.TryAdd(tokens[i], i);
                _columnCount = i + 1;
            }
            else if (i == tokens.Length - 1 && i == _columnCount)
            {
                // vmstat -t: the column line ends with the time zone of the timestamps.
                _zone = tokens[i];
                _offset = ClockReference.ZoneOffset(_zone);
            }
            else
            {
                context.Warn(number, $"unknown vmstat column '{HostText.Truncate(tokens[i], 20)}'; the columns after it are ignored");
                return;
            }
        }
    }

    private void Row(string[] tokens, long number)
    {
        if (_columns is null)
        {
            context.Warn(number, "a vmstat sample before its header line (r b swpd free …); skipped");
            return;
        }

        var expected = _columnCount + (_zone is null ? 0 : 2);
        if (tokens.Length != expected)
        {
            context.Warn(number, $"vmstat sample has {tokens.Length} values where the header has {expected}; skipped");
            return;
        }

        var time = Timestamp(tokens, number);
        var window = _delay ?? (time is { } now && _lastTime is { } last && now > last ? now - last : null);
        _lastTime = time ?? _lastTime;
        if (_rows++ == 0 && !_omitsFirst)
        {
            context.Warn(number, "vmstat's first sample averages everything since boot, not the interval; skipped");
            return;
        }

        if (!Value(tokens, "id", out var idle) || idle > 100 || !Value(tokens, "si", out var swapIn) || !Value(tokens, "so", out var swapOut))
        {
            context.Warn(number, "vmstat sample has an unreadable id, si or so value; skipped");
            return;
        }

        var wait = Value(tokens, "wa", out var wa) && wa <= 100 ? wa : (double?)null;
        var blocked = _columns.TryGetValue("b", out var b) && HostText.TryInteger(tokens[b], out var count) ? count : (int?)null;
        if (!budget.Take(number, "vmstat"))
        {
            return;
        }

        context.Add(new CpuUsage(new Percentage(100 - idle), context.At(number))
        {
            IoWait = wait is { } w ? new Percentage(w) : null,
            BlockedProcesses = blocked,
            Window = window,
            Timestamp = time,
        });
        context.Add(new SwapActivity(new DataRate(swapIn * _unit), new DataRate(swapOut * _unit), context.At(number)) { Window = window, Timestamp = time });
    }

    private bool Value(string[] tokens, string column, out double value)
    {
        value = 0;
        return _columns!.TryGetValue(column, out var index) && index < tokens.Length && HostText.TryNumber(tokens[index], out value);
    }

    private DateTimeOffset? Timestamp(string[] tokens, long number)
    {
        if (_zone is null)
        {
            return null;
        }

        if (_offset is not { } offset)
        {
            if (!_zoneReported)
            {
                _zoneReported = true;
                context.Warn(number, $"vmstat -t's time zone '{HostText.Truncate(_zone, 20)}' has no known offset; its samples have no timestamp (run it with TZ=UTC)");
            }

            return null;
        }

        if (!DateTime.TryParseExact($"{tokens[^2]} {tokens[^1]}", "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            || local.Year is < 1970 or > 9998)
        {
            context.Warn(number, "vmstat -t sample has an unreadable timestamp; it has no time");
            return null;
        }

        var moment = new DateTimeOffset(local, offset);
        clock.Saw(moment);
        context.SawTimestamp(moment);
        return moment;
    }
}
