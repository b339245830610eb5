using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>
/// Reads what users paste from host diagnostic commands — one tool's output, or several concatenated, each recognised
/// by its header line and, where the output does not say enough (free's unit, vmstat's interval), by the command line
/// pasted above it (<c>$ free -m</c>, <c>root@web-1:~# vmstat -S M 1 5</c>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>free</c> (<c>-b -k -m -g -h</c>, old procps with <c>-/+ buffers/cache:</c>) → <see cref="MemoryUsage"/>.</item>
/// <item><c>top -b -n 1</c> or a pasted interactive top → a host <see cref="CpuUsage"/> (100 − idle, I/O wait), a
/// <see cref="MemoryUsage"/>, <c>node_load1/5/15</c> <see cref="Gauge"/>s, and a per-process <see cref="CpuUsage"/> for each
/// Gunicorn process; top's time of day becomes a timestamp only when a date was seen before it (a <c>date</c> line or a
/// <c>vmstat -t</c> sample).</item>
/// <item><c>vmstat</c> (plain, <c>-w</c>, <c>-a</c>, <c>-t</c>, <c>-S</c>) → per sample a host <see cref="CpuUsage"/> (with I/O wait
/// and blocked processes) and a <see cref="SwapActivity"/>; the since-boot first sample is skipped and reported.</item>
/// <item><c>nproc</c>, <c>getconf _NPROCESSORS_ONLN</c>, <c>lscpu</c>'s <c>CPU(s):</c> → <see cref="HostFacts.CpuCount"/>;
/// <c>/proc/meminfo</c> → <see cref="MemoryUsage"/> and <see cref="HostFacts.Memory"/>.</item>
/// <item><c>/proc/mounts</c>, <c>/proc/self/mountinfo</c>, <c>mount</c>, <c>df -T</c>, <c>findmnt</c> → one
/// <see cref="FilesystemMount"/> per mount point.</item>
/// <item>An <c>env</c> dump, a listing showing <c>/.dockerenv</c>, <c>/proc/1/cgroup</c> → <see cref="HostFacts.Platform"/>.</item>
/// <item><c>uptime</c> and <c>/proc/loadavg</c> → the load-average gauges.</item>
/// </list>
/// Lines of no known tool (prose, prompts, other commands' output) are passed over silently; malformed lines inside a
/// recognised output are reported with their line number and skipped.
/// </remarks>
public sealed class HostToolsReader : IArtifactReader
{
    /// <summary>
    /// The most samples (host and per-process CPU, memory, vmstat rows, load averages, CPU counts) kept per input; mounts
    /// are capped separately (<c>4096</c>) and the platform is one fact.
    /// </summary>
    public const int MaximumSamples = 20_000;

    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.HostTools;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(head);
        var score = 0;
        var mountLines = 0;
        var commands = 0;
        var platform = 0;
        var integers = 0;
        var other = 0;
        var lscpu = false;
        foreach (var raw in head)
        {
            var line = HostText.Clean(raw);
            if (line.Length == 0)
            {
                continue;
            }

            if (HostCommand.TryParse(line, out var command))
            {
                commands += command!.Tool == HostTool.Other ? 0 : 1;
                continue;
            }

            if (TopSection.IsHeader(line) || VmstatSection.IsHeader(line))
            {
                score = Math.Max(score, 95);
            }
            else if (FreeSection.IsHeader(line) || (line.StartsWith("Mem:", StringComparison.Ordinal) && score >= 85))
            {
                score = Math.Max(score, line.StartsWith("Mem:", StringComparison.Ordinal) ? 95 : 85);
            }
            else if (TopSection.IsCpuLine(line) || line.StartsWith("MemTotal:", StringComparison.Ordinal) || IsTableHeader(line))
            {
                score = Math.Max(score, 90);
            }
            else if (MountLines.TryParse(line, out _, out _))
            {
                mountLines++;
            }
            else if (line.StartsWith("Architecture:", StringComparison.Ordinal))
            {
                lscpu = true;
            }
            else if (lscpu && line.StartsWith("CPU(s):", StringComparison.Ordinal))
            {
                score = Math.Max(score, 85);
            }
            else if (line.Contains(" up ", StringComparison.Ordinal) && line.Contains("load average:", StringComparison.Ordinal))
            {
                score = Math.Max(score, 70);
            }
            else if (HostText.TryInteger(line, out _))
            {
                integers++;
            }
            else if (IsPlatformMarker(line))
            {
                platform++;
            }
            else
            {
                other++;
            }
        }

        if (mountLines > 0)
        {
            score = Math.Max(score, mountLines >= 2 ? 85 : 50);
        }

        if (commands > 0 && score > 0)
        {
            score = Math.Max(score, 90);
        }
        else if (commands > 0)
        {
            score = Math.Max(score, 60);
        }

        var name = Path.GetFileName(fileName).ToLowerInvariant();
        if (score == 0 && integers == 1 && other == 0 && name.Contains("nproc", StringComparison.Ordinal))
        {
            score = 80;
        }

        if (score == 0 && platform > 0)
        {
            // An env dump: ours only for its platform variables; a plain environment file is a command-line input's.
            score = name.Contains("env", StringComparison.Ordinal) ? 45 : 35;
        }

        return Math.Min(100, score);
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var state = new State(context, source.Name);
        source.ForEachLine(context, (bytes, number) => state.Line(context.Text(bytes, number), number));
        state.Finish();
    }

    private static bool IsTableHeader(string line)
    {
        var tokens = HostText.Tokens(line);
        return (tokens.Length >= 6 && tokens[0] == "Filesystem" && tokens[^1] == "on" && tokens[^2] == "Mounted")
            || (tokens.Contains("TARGET") && tokens.Contains("FSTYPE"));
    }

    private static bool IsPlatformMarker(string line)
    {
        var text = line.StartsWith("export ", StringComparison.Ordinal) ? line[7..] : line.StartsWith("declare -x ", StringComparison.Ordinal) ? line[11..] : line;
        return text.StartsWith("KUBERNETES_SERVICE_HOST=", StringComparison.Ordinal) || text.StartsWith("GAE_ENV=", StringComparison.Ordinal)
            || text.StartsWith("GAE_SERVICE=", StringComparison.Ordinal) || text.StartsWith("GAE_APPLICATION=", StringComparison.Ordinal)
            || text.StartsWith("K_SERVICE=", StringComparison.Ordinal) || text.StartsWith("DYNO=", StringComparison.Ordinal)
            || text.StartsWith("WEBSITE_SITE_NAME=", StringComparison.Ordinal) || line.EndsWith(" .dockerenv", StringComparison.Ordinal)
            || line == "/.dockerenv";
    }

    private sealed class State(ReadContext context, string fileName)
    {
        private readonly ClockReference _clock = new();
        private readonly ObservationBudget _budget = new(context, MaximumSamples);
        private readonly MountTable _mounts = new(context);
        private readonly PlatformHints _platform = new(context);
        private readonly bool _nprocFile = Path.GetFileName(fileName).Contains("nproc", StringComparison.OrdinalIgnoreCase);
        private IHostSection? _section;
        private HostCommand? _command;
        private bool _awaitingOutput;
        private bool _cpuCountRead;

        public void Line(string text, long number)
        {
            var line = HostText.Clean(text);
            if (HostCommand.TryParse(line, out var command))
            {
                EndSection();
                _command = command;
                _awaitingOutput = true;
                return;
            }

            if (_section is not null)
            {
                if (_section.Line(line, number))
                {
                    return;
                }

                EndSection();
            }

            if (line.Length == 0)
            {
                return;
            }

            var awaited = _awaitingOutput;
            _awaitingOutput = false;
            Start(line, number, awaited);
        }

        public void Finish()
        {
            EndSection();
            _mounts.Finish();
            _platform.Finish();
        }

        private void EndSection()
        {
            _section?.Finish();
            _section = null;
        }

        private void Start(string line, long number, bool firstOutput)
        {
            if (FreeSection.IsHeader(line))
            {
                _section = FreeSection.Start(context, _budget, line, _command, fileName);
                return;
            }

            if (TopSection.IsHeader(line) || TopSection.IsCpuLine(line))
            {
                Open(new TopSection(context, _clock, _budget), line, number);
                return;
            }

            if (VmstatSection.IsHeader(line))
            {
                Open(new VmstatSection(context, _clock, _budget, _command), line, number);
                return;
            }

            if (MountSection.TryStart(context, _mounts, line, number) is { } table)
            {
                _section = table;
                return;
            }

            if (MeminfoSection.IsStart(line))
            {
                Open(new MeminfoSection(context, _budget), line, number);
                return;
            }

            Single(line, number, firstOutput);
        }

        private void Open(IHostSection section, string line, long number)
        {
            _section = section;
            section.Line(line, number);
        }

        /// <summary>Lines that stand alone: a date, a CPU count, load averages, a mount, a platform hint.</summary>
        private void Single(string line, long number, bool firstOutput)
        {
            var tool = _command?.Tool ?? HostTool.Other;
            if (ClockReference.TryParseDateLine(line, afterCommand: tool == HostTool.Date && firstOutput, out var moment))
            {
                _clock.Saw(moment);
                context.SawTimestamp(moment);
                return;
            }

            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("CPU(s):", StringComparison.Ordinal))
            {
                CpuCount(trimmed[7..], number, "lscpu's CPU(s)");
                return;
            }

            if ((tool == HostTool.Nproc && firstOutput) || (_nprocFile && !_cpuCountRead && HostText.TryInteger(line, out _)))
            {
                CpuCount(line, number, "nproc's output");
                return;
            }

            if (line.Contains("load average:", StringComparison.Ordinal) && line.Contains(" up ", StringComparison.Ordinal))
            {
                // uptime: " 23:45:22 up 12 days,  3:04,  1 user,  load average: 4.12, 3.87, 2.95"
                var tokens = HostText.Tokens(line);
                var time = tokens.Length > 0 ? _clock.AtTimeOfDay(tokens[0]) : null;
                if (_budget.Take(number, "load average"))
                {
                    LoadAverage.Add(context, line[(line.IndexOf("load average:", StringComparison.Ordinal) + 13)..], number, time);
                }

                return;
            }

            if (_command is { IsLoadAverageFile: true } && firstOutput)
            {
                // /proc/loadavg: "4.12 3.87 2.95 6/412 7702"
                if (_budget.Take(number, "load average"))
                {
                    LoadAverage.Add(context, HostText.Tokens(line), number, null);
                }
                return;
            }

            if (MountLines.TryParse(line, out var mountPoint, out var type))
            {
                _mounts.Add(mountPoint, type, number);
                return;
            }

            if (!_platform.TryListing(line, number))
            {
                _platform.TryEnvironment(line, number);
            }
        }

        private void CpuCount(string text, long number, string what)
        {
            if (!HostText.TryInteger(text, out var cpus) || cpus is 0 or > 100_000)
            {
                context.Warn(number, $"{what} is not a CPU count: '{HostText.Truncate(text.Trim(), 40)}'; skipped");
                return;
            }

            _cpuCountRead = true;
            if (_budget.Take(number, "CPU count"))
            {
                context.Add(new HostFacts(context.At(number)) { CpuCount = cpus });
            }
        }
    }
}
