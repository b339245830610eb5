using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Processes;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Stacks;

/// <summary>
/// Reads where processes were: <c>py-spy dump --pid N [--subprocesses] [--locals]</c>, Python faulthandler dumps and
/// <c>strace -p PID -T</c> excerpts, in one file or mixed, into one <see cref="StackSnapshot"/> per process.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>py-spy: the pid and command line of each <c>Process N: …</c> block become <see cref="StackSnapshot.Pid"/> and
/// <see cref="StackSnapshot.ProcessName"/> (secrets masked); <c>Python vX.Y.Z</c> a <see cref="SoftwareVersion"/>. A block
/// without a <c>Process</c> line takes its pid from its <c>MainThread</c> (on Linux py-spy prints native thread ids, and the
/// main thread's is the pid). Locals (<c>--locals</c>) are never kept.</item>
/// <item>faulthandler (<c>Thread 0x… (most recent call first):</c>, <c>Current thread 0x…</c>, <c>Stack (most recent call
/// first):</c>, frames <c>File "x.py", line 12 in func</c>): the pid is the one the preceding lines name (<c>pid: 7685</c>,
/// <c>WORKER TIMEOUT (pid:7685)</c>); without one it is 0, and reported.</item>
/// <item>strace: see <see cref="StraceCalls"/>: the slowest (≥ 1 s) or unfinished call per pid becomes
/// <see cref="StackSnapshot.BlockedSystemCall"/> and <see cref="StackSnapshot.BlockedFor"/>.</item>
/// </list>
/// When a dump shows several threads, <see cref="StackSnapshot.Frames"/> starts with the primary thread's frames,
/// innermost first — faulthandler's current thread, else py-spy's <c>active+gil</c>, then <c>active</c> thread, else the
/// <c>MainThread</c>, else the first — so <c>Frames[0]</c> is where the process was; every other thread's frames follow, each
/// after a <c>--- thread ID "name" (state) ---</c> line, up to 1024 frames in all.
/// </remarks>
public sealed class ProcessStacksReader : IArtifactReader
{
    /// <summary>The most snapshots read per input.</summary>
    public const int MaximumSnapshots = 2_000;

    /// <summary>The most threads kept per process.</summary>
    public const int MaximumThreads = 128;

    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.ProcessStacks;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(head);
        var score = 0;
        var pySpyProcess = false;
        var pySpyThreads = 0;
        var pySpyFrames = 0;
        var faulthandler = false;
        var straceLines = 0;
        var gunicornEntries = 0;
        var strace = new StraceCalls(new ReadContext("recognize"));
        foreach (var line in head)
        {
            if (StackLines.TryPySpyProcess(line, out _, out _))
            {
                pySpyProcess = true;
            }
            else if (line.StartsWith("Python v", StringComparison.Ordinal) && pySpyProcess)
            {
                score = Math.Max(score, 98);
            }
            else if (StackLines.TryPySpyThread(line, out _, out _, out _))
            {
                pySpyThreads++;
            }
            else if (StackLines.TryPySpyFrame(line, out _))
            {
                pySpyFrames++;
            }
            else if (StackLines.TryFaulthandlerThread(line, out _, out _))
            {
                faulthandler = true;
            }
            else if (strace.Line(line, 1))
            {
                straceLines++;
                if (line.StartsWith("strace: Process ", StringComparison.Ordinal))
                {
                    score = Math.Max(score, 92);
                }
            }
            else if (IsGunicornLogEntry(line))
            {
                gunicornEntries++;
            }
        }

        if (pySpyThreads > 0 && pySpyFrames > 0)
        {
            score = Math.Max(score, 88);
        }

        if (faulthandler)
        {
            // A faulthandler dump inside Gunicorn's error log belongs to that log.
            score = Math.Max(score, gunicornEntries >= 2 ? 0 : 92);
        }

        if (straceLines > 0)
        {
            score = Math.Max(score, straceLines >= 2 && gunicornEntries < 2 ? 85 : 40);
        }

        if (score > 0 && gunicornEntries >= 2 && !pySpyProcess)
        {
            score = Math.Min(score, 30);
        }

        var name = Path.GetFileName(fileName).ToLowerInvariant();
        if (score > 0 && (name.Contains("py-spy", StringComparison.Ordinal) || name.Contains("pyspy", StringComparison.Ordinal)
            || name.Contains("strace", StringComparison.Ordinal) || name.Contains("faulthandler", StringComparison.Ordinal) || name.Contains("stack", StringComparison.Ordinal)))
        {
            score += 5;
        }

        return Math.Min(100, score);
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var state = new State(context);
        source.ForEachLine(context, (bytes, number) => state.Line(context.Text(bytes, number).TrimEnd(), number));
        state.Finish();
    }

    /// <summary>A line of Gunicorn's error log: <c>[2026-11-23 23:45:22 +0000] [7657] [CRITICAL] …</c> or 19.x's <c>2018-07-03 10:02:31 [815] [INFO] …</c>.</summary>
    private static bool IsGunicornLogEntry(string line)
    {
        var level = line.IndexOf("] [", StringComparison.Ordinal);
        return level > 0 && line.Length < 4096
            && (line.Contains("[INFO] ", StringComparison.Ordinal) || line.Contains("[CRITICAL] ", StringComparison.Ordinal)
                || line.Contains("[ERROR] ", StringComparison.Ordinal) || line.Contains("[WARNING] ", StringComparison.Ordinal)
                || line.Contains("[DEBUG] ", StringComparison.Ordinal));
    }

    private sealed class State(ReadContext context)
    {
        private readonly StraceCalls _strace = new(context);
        private readonly HashSet<Version> _versions = [];
        private readonly List<StackThread> _threads = [];
        private int _snapshots;
        private int _droppedThreads;

        // The block being read: a py-spy process, or a faulthandler dump.
        private Block _block;
        private int? _pid;
        private string? _processName;
        private long _blockLine;
        private int? _contextPid;

        private enum Block
        {
            None,
            PySpy,
            Faulthandler,
        }

        public void Line(string line, long number)
        {
            if (StackLines.TryPySpyProcess(line, out var pid, out var commandLine))
            {
                EndBlock();
                Begin(Block.PySpy, pid, number);
                _processName = commandLine.Length == 0 ? null : Truncate(SecretRedactor.Redact(commandLine), 200);
                return;
            }

            if (StackLines.TryFaulthandlerThread(line, out var id, out var current))
            {
                if (_block != Block.Faulthandler)
                {
                    EndBlock();
                    Begin(Block.Faulthandler, _contextPid, number);
                    _contextPid = null;
                }

                AddThread(new StackThread(id, null, null, current, number));
                return;
            }

            if (_block == Block.Faulthandler && InFaulthandler(line))
            {
                return;
            }

            if (StackLines.TryPySpyThread(line, out id, out var status, out var name))
            {
                if (_block != Block.PySpy)
                {
                    EndBlock();
                    Begin(Block.PySpy, null, number);
                }

                AddThread(new StackThread(id, name, status, false, number));
                return;
            }

            if (_block == Block.PySpy && InPySpy(line, number))
            {
                return;
            }

            if (_block == Block.Faulthandler)
            {
                EndBlock();
            }

            if (line.Contains("strace", StringComparison.Ordinal) && line.Contains("-p", StringComparison.Ordinal) && !line.StartsWith("strace: ", StringComparison.Ordinal))
            {
                _strace.Command(line);
                return;
            }

            if (_strace.Line(line, number))
            {
                return;
            }

            if (StackLines.TryPidMention(line, out var mentioned))
            {
                _contextPid = mentioned;
            }
        }

        public void Finish()
        {
            EndBlock();
            _strace.Finish();
            if (_droppedThreads > 0)
            {
                context.Warn(0, $"{_droppedThreads} thread(s) beyond {MaximumThreads} per process were not kept");
            }
        }

        private void Begin(Block block, int? pid, long number)
        {
            _block = block;
            _pid = pid;
            _processName = null;
            _blockLine = number;
        }

        private bool InFaulthandler(string line)
        {
            if (StackLines.TryFaulthandlerFrame(line, out var frame))
            {
                if (_threads.Count > 0)
                {
                    _threads[^1].Add(frame);
                }

                return true;
            }

            var trimmed = line.Trim();
            // Blank lines between threads, "<no Python frame>", "...", and 3.14's C stack ("Current thread's C stack trace …", "  Binary file …").
            return trimmed.Length == 0 || trimmed == "<no Python frame>" || trimmed == "..." || trimmed.StartsWith("<truncated", StringComparison.Ordinal)
                || line.StartsWith("Current thread's C stack", StringComparison.Ordinal) || trimmed.StartsWith("Binary file ", StringComparison.Ordinal)
                || trimmed.StartsWith("<tstate is freed>", StringComparison.Ordinal);
        }

        private bool InPySpy(string line, long number)
        {
            if (StackLines.TryPySpyFrame(line, out var frame))
            {
                if (_threads.Count == 0)
                {
                    context.Warn(number, "a py-spy frame before any Thread line; skipped");
                }
                else
                {
                    _threads[^1].Add(frame);
                }

                return true;
            }

            if (line.StartsWith("Python v", StringComparison.Ordinal))
            {
                Python(line, number);
                return true;
            }

            if (line.StartsWith("Error: ", StringComparison.Ordinal))
            {
                context.Warn(number, $"py-spy reported an error: {Truncate(SecretRedactor.Redact(line[7..]), 160)}");
                return true;
            }

            // "Parent Process 7657: …", locals ("        Arguments:", "            self: <…>"), blank lines and
            // --subprocesses' rule of dashes belong to the block and are passed over.
            return line.Length == 0 || line.StartsWith("        ", StringComparison.Ordinal) || line.StartsWith("Parent Process ", StringComparison.Ordinal)
                || line.TrimStart().StartsWith("-----", StringComparison.Ordinal);
        }

        private void Python(string line, long number)
        {
            var text = line.AsSpan(8);
            var length = 0;
            while (length < text.Length && (char.IsAsciiDigit(text[length]) || text[length] == '.'))
            {
                length++;
            }

            if (!Version.TryParse(text[..length], out var version))
            {
                context.Warn(number, $"unrecognised Python version in '{Truncate(line, 60)}'");
                return;
            }

            if (_versions.Count < 20 && _versions.Add(version))
            {
                context.Add(new SoftwareVersion("python", version, context.At(number)));
            }
        }

        private void AddThread(StackThread thread)
        {
            if (_threads.Count < MaximumThreads)
            {
                _threads.Add(thread);
            }
            else
            {
                _droppedThreads++;
            }
        }

        private void EndBlock()
        {
            var block = _block;
            _block = Block.None;
            if (block == Block.None)
            {
                return;
            }

            if (_threads.Count == 0 || _threads.All(t => t.Frames.Count == 0))
            {
                context.Warn(_blockLine, block == Block.PySpy
                    ? $"py-spy shows no Python frames for {(_pid is { } p ? $"process {p}" : "this process")}; no stack was read"
                    : "faulthandler dump without frames; no stack was read");
                _threads.Clear();
                return;
            }

            var (primary, frames) = StackThread.Compose(_threads);
            var pid = _pid ?? (block == Block.PySpy ? PidFromThreads() : null);
            if (pid is null)
            {
                context.Warn(_blockLine, block == Block.Faulthandler
                    ? "faulthandler dump with no pid named before it (e.g. 'pid: 7685'); its stack is recorded as pid 0"
                    : "py-spy dump without its 'Process N:' line and no decimal main-thread id; its stack is recorded as pid 0");
            }

            var dropped = _threads.Sum(t => t.Dropped);
            if (dropped > 0)
            {
                context.Warn(primary.Line, $"{dropped} frame(s) beyond {StackThread.MaximumFrames} per thread were not kept");
            }

            _threads.Clear();
            if (_snapshots++ >= MaximumSnapshots)
            {
                if (_snapshots == MaximumSnapshots + 1)
                {
                    context.Warn(primary.Line, $"more than {MaximumSnapshots} stacks in this input; this and later ones were not read");
                }

                return;
            }

            context.Add(new StackSnapshot(pid ?? 0, frames, context.At(primary.Line)) { ProcessName = _processName });
        }

        /// <summary>On Linux py-spy prints native thread ids, and the main thread's is the process id.</summary>
        private int? PidFromThreads()
        {
            foreach (var thread in _threads)
            {
                if (thread.Status is not null && thread.Name == "MainThread" && int.TryParse(thread.Id, System.Globalization.NumberStyles.None,
                        System.Globalization.CultureInfo.InvariantCulture, out var pid) && pid > 0)
                {
                    return pid;
                }
            }

            return null;
        }

        private static string Truncate(string text, int maximum) => text.Length <= maximum ? text : string.Concat(text.AsSpan(0, maximum), "…");
    }
}
