using System.Globalization;
using Gunicorn.Insights.Observations.Processes;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Stacks;

/// <summary>
/// <c>strace -p PID -T</c> excerpts (with or without <c>-f</c>'s <c>[pid  N]</c>, <c>-o</c>'s bare <c>N  </c> prefix and
/// <c>-t</c>/<c>-tt</c>/<c>-ttt</c>/<c>-r</c> times): per pid, the slowest system call (<c>&lt;12.404712&gt;</c> from <c>-T</c>),
/// and the call still unfinished when the excerpt ends (<c>futex(… &lt;unfinished …&gt;</c> never resumed, a call cut off
/// when strace detached, or one that never returned because the process died in it: <c>futex(…) = ?</c>).
/// </summary>
/// <remarks>
/// One <see cref="StackSnapshot"/> per pid (a thread id under <c>-f</c>) that was blocked: its
/// <see cref="StackSnapshot.BlockedSystemCall"/> is the slowest call if that took at least <see cref="SlowCall"/>, with
/// <see cref="StackSnapshot.BlockedFor"/> its duration; otherwise the call left unfinished, with no duration. Calls an idle
/// worker waits in by design (<see cref="IdleWaits"/>: <c>select</c>, <c>epoll_wait</c>, sleeps) count only when the pid shows
/// nothing else, so a 15 s <c>select</c> does not hide a 12 s <c>fchmod</c>. Pids whose calls all returned quickly were not
/// blocked and give no snapshot. Call arguments (which may hold request data) are
/// never kept. The snapshot has a timestamp under <c>-ttt</c> (epoch seconds); <c>-t</c>/<c>-tt</c> print a time of day only.
/// </remarks>
internal sealed class StraceCalls(ReadContext context)
{
    /// <summary>A completed call at least this long counts as the process being blocked in it.</summary>
    public static readonly TimeSpan SlowCall = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Calls an idle process waits in by design (a sync worker's <c>select</c> for up to timeout/2, a gthread worker's
    /// <c>epoll_wait</c>, a sleep): counted only when the process shows nothing else.
    /// </summary>
    public static readonly IReadOnlySet<string> IdleWaits = new HashSet<string>(StringComparer.Ordinal)
    {
        "select", "_newselect", "pselect6", "epoll_wait", "epoll_pwait", "epoll_pwait2", "nanosleep", "clock_nanosleep", "pause", "wait4", "waitid",
        "rt_sigsuspend", "rt_sigtimedwait",
    };

    /// <summary>The most pids (threads) tracked per input.</summary>
    public const int MaximumPids = 10_000;

    private readonly Dictionary<int, Calls> _pids = [];
    private readonly List<int> _attached = [];
    private int? _commandPid;
    private bool _reportedUnknownPid;
    private bool _reportedCap;
    private long _callsWithoutDuration;
    private long _callsWithDuration;
    private long _firstCallWithoutDuration;

    /// <summary>How many strace lines were read.</summary>
    public long Lines { get; private set; }

    /// <summary>Notes the pid of a pasted <c>strace … -p 7685</c> command line.</summary>
    public void Command(string line)
    {
        var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var strace = Array.FindIndex(tokens, t => t == "strace" || t.EndsWith("/strace", StringComparison.Ordinal));
        for (var i = strace + 1; strace >= 0 && i < tokens.Length; i++)
        {
            var text = tokens[i] == "-p" && i + 1 < tokens.Length ? tokens[i + 1] : tokens[i].StartsWith("-p", StringComparison.Ordinal) ? tokens[i][2..] : null;
            if (text is not null && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                _commandPid ??= pid;
            }
        }
    }

    /// <summary>Reads a line; false when it is not strace's.</summary>
    public bool Line(string line, long number)
    {
        if (line.StartsWith("^C", StringComparison.Ordinal))
        {
            line = line[2..];
        }

        if (line.StartsWith("strace: ", StringComparison.Ordinal))
        {
            // "strace: Process 7685 attached", "strace: Process 7685 attached with 3 threads", "strace: Process 7685 detached"
            if (line.StartsWith("strace: Process ", StringComparison.Ordinal) && line.Contains(" attached", StringComparison.Ordinal)
                && TryLeadingInteger(line.AsSpan(16), out var attached, out _) && _attached.Count < 100)
            {
                _attached.Add(attached);
            }

            Lines++;
            return true;
        }

        var text = line.AsSpan().TrimStart();
        int? pid = null;
        if (text.StartsWith("[pid", StringComparison.Ordinal))
        {
            var close = text.IndexOf(']');
            if (close < 0 || !int.TryParse(text[4..close].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var prefixed))
            {
                return false;
            }

            pid = prefixed;
            text = text[(close + 1)..].TrimStart();
        }
        else if (TryLeadingInteger(text, out var bare, out var length) && length < text.Length && text[length] == ' ')
        {
            // strace -f -o file: "7685  fchmod(7, 01) = 0 <12.404712>"
            var after = text[length..].TrimStart();
            if (after.Length > 0 && (char.IsAsciiLetterLower(after[0]) || after[0] == '<' || after.StartsWith("+++") || after.StartsWith("---")))
            {
                pid = bare;
                text = after;
            }
        }

        DateTimeOffset? time = null;
        if (text.Length > 0 && char.IsAsciiDigit(text[0]))
        {
            // -t/-tt "23:45:10.123456", -ttt "1795477510.123456", -r "     0.000123"
            var space = text.IndexOf(' ');
            if (space < 0)
            {
                return false;
            }

            var stamp = text[..space];
            if (!stamp.Contains(':') && TryEpoch(stamp, out var epoch))
            {
                time = epoch;
            }
            else if (!stamp.Contains(':') && !stamp.Contains('.'))
            {
                return false;
            }

            text = text[(space + 1)..].TrimStart();
        }

        if (text.StartsWith("+++") || text.StartsWith("---"))
        {
            // "+++ killed by SIGKILL +++", "--- SIGABRT {si_signo=SIGABRT, …} ---": a call left unfinished stays what the
            // process was blocked in when it was signalled or died (a worker killed after WORKER TIMEOUT).
            Lines++;
            return true;
        }

        if (text.StartsWith("<... "))
        {
            var resumed = text.IndexOf(" resumed>");
            if (resumed < 0)
            {
                return false;
            }

            Lines++;
            var name = text[5..resumed].ToString();
            if (Process(pid, number) is { } process)
            {
                var started = process.Pending is { } pending && pending.Name == name ? pending : new Call(name, number, time, null);
                if (NeverReturned(text))
                {
                    // "<... futex resumed>) = ?": the process died in the call.
                    process.Pending = started;
                }
                else
                {
                    process.Pending = null;
                    Completed(process, started with { Duration = Duration(text) });
                }
            }

            return true;
        }

        if (text.StartsWith("<detached") || text.StartsWith("<unfinished"))
        {
            Lines++;
            return true;
        }

        var open = text.IndexOf('(');
        if (open <= 0 || open > 40 || !IsName(text[..open]))
        {
            return false;
        }

        Lines++;
        var call = new Call(text[..open].ToString(), number, time, null);
        if (Process(pid, number) is not { } owner)
        {
            return true;
        }

        var equals = text.LastIndexOf(" = ");
        if (text.EndsWith("<unfinished ...>") || equals < 0 || NeverReturned(text))
        {
            // Unfinished, cut off when strace detached ("recvfrom(9, " with nothing after it), or never returned because
            // the process died in it ("futex(…) = ?").
            if (call.Name is not "exit" and not "exit_group")
            {
                owner.Pending = call;
            }

            return true;
        }

        owner.Pending = null;
        Completed(owner, call with { Duration = Duration(text) });
        return true;
    }

    /// <summary>Adds one snapshot per blocked pid.</summary>
    public void Finish()
    {
        if (_callsWithoutDuration > 0 && _callsWithDuration == 0)
        {
            context.Warn(_firstCallWithoutDuration, "strace was run without -T: no call shows how long it took, so only calls left unfinished are reported");
        }

        foreach (var (pid, calls) in _pids.OrderBy(p => p.Value.Order))
        {
            var blocked = calls.Slowest is { Duration: { } slow } slowest && slow >= SlowCall ? slowest
                : calls.Pending is { } pending && !IdleWaits.Contains(pending.Name) ? pending
                : calls.Pending ?? (calls.SlowestIdle is { Duration: { } idle } slowestIdle && idle >= SlowCall ? slowestIdle : null);
            if (blocked is null)
            {
                continue;
            }

            if (blocked.Time is { } time)
            {
                context.SawTimestamp(time);
            }

            context.Add(new StackSnapshot(pid, [], context.At(blocked.Line))
            {
                BlockedSystemCall = blocked.Name,
                BlockedFor = blocked.Duration,
                Timestamp = blocked.Time,
            });
        }
    }

    private void Completed(Calls process, Call call)
    {
        if (call.Name is "exit" or "exit_group")
        {
            return;
        }

        if (call.Duration is null)
        {
            if (_callsWithoutDuration++ == 0)
            {
                _firstCallWithoutDuration = call.Line;
            }

            return;
        }

        _callsWithDuration++;
        if (IdleWaits.Contains(call.Name))
        {
            if (process.SlowestIdle?.Duration is not { } slowestIdle || call.Duration > slowestIdle)
            {
                process.SlowestIdle = call;
            }
        }
        else if (process.Slowest?.Duration is not { } slowest || call.Duration > slowest)
        {
            process.Slowest = call;
        }
    }

    private Calls? Process(int? prefixed, long number)
    {
        var pid = prefixed ?? (_attached.Count == 1 ? _attached[0] : _commandPid ?? (_attached.Count > 0 ? _attached[^1] : 0));
        if (pid == 0 && !_reportedUnknownPid)
        {
            _reportedUnknownPid = true;
            context.Warn(number, "strace lines without a [pid N] prefix, and no 'strace: Process N attached' line or strace -p command names the process; recorded as pid 0");
        }

        if (_pids.TryGetValue(pid, out var calls))
        {
            return calls;
        }

        if (_pids.Count >= MaximumPids)
        {
            if (!_reportedCap)
            {
                _reportedCap = true;
                context.Warn(number, $"more than {MaximumPids} pids traced; the calls of later ones were not read");
            }

            return null;
        }

        calls = new Calls(_pids.Count);
        _pids[pid] = calls;
        return calls;
    }

    /// <summary>True for a call whose result is <c>?</c>: the process died or was killed before it returned.</summary>
    private static bool NeverReturned(ReadOnlySpan<char> text)
    {
        var equals = text.LastIndexOf(" = ");
        return equals >= 0 && text[(equals + 3)..].TrimStart().StartsWith("?");
    }

    /// <summary>The <c>&lt;12.404712&gt;</c> at the end of a line, from <c>-T</c>.</summary>
    private static TimeSpan? Duration(ReadOnlySpan<char> text)
    {
        text = text.TrimEnd();
        if (!text.EndsWith(">"))
        {
            return null;
        }

        var open = text.LastIndexOf('<');
        return open >= 0 && double.TryParse(text[(open + 1)..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && seconds < 1e7 ? TimeSpan.FromSeconds(seconds) : null;
    }

    /// <summary>-ttt's <c>1795477525.115501</c>: seconds since the epoch with microseconds.</summary>
    private static bool TryEpoch(ReadOnlySpan<char> stamp, out DateTimeOffset time)
    {
        time = default;
        var dot = stamp.IndexOf('.');
        var whole = dot < 0 ? stamp : stamp[..dot];
        var fraction = dot < 0 ? [] : stamp[(dot + 1)..];
        if (!long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1_000_000_000 or > 4_000_000_000
            || fraction.Length > 9)
        {
            return false;
        }

        long ticks = 0;
        for (var i = 0; i < 7; i++)
        {
            if (i < fraction.Length && !char.IsAsciiDigit(fraction[i]))
            {
                return false;
            }

            ticks = (ticks * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
        }

        time = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(ticks);
        return true;
    }

    private static bool IsName(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '_')
            {
                return false;
            }
        }

        return char.IsAsciiLetterLower(name[0]) || name[0] == '_';
    }

    private static bool TryLeadingInteger(ReadOnlySpan<char> text, out int value, out int length)
    {
        length = 0;
        while (length < text.Length && length < 10 && char.IsAsciiDigit(text[length]))
        {
            length++;
        }

        value = 0;
        return length > 0 && int.TryParse(text[..length], NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private sealed record Call(string Name, long Line, DateTimeOffset? Time, TimeSpan? Duration);

    private sealed class Calls(int order)
    {
        public int Order { get; } = order;

        public Call? Pending { get; set; }

        public Call? Slowest { get; set; }

        public Call? SlowestIdle { get; set; }
    }
}
