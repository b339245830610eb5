using System.Globalization;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Processes;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.Accumulation;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.GunicornLogs;

/// <summary>
/// Reads Gunicorn's error log in every version's wording into log signatures (WORKER TIMEOUT, SIGKILL, exits, boots,
/// failed boots, request errors), individual worker events for per-pid correlation, the Gunicorn version, the bind
/// address and worker class it announced, the effective settings of a <c>Current configuration:</c> dump, and the
/// stacks of tracebacks (e.g. where a timed-out request was when its worker was aborted).
/// </summary>
public sealed class GunicornErrorLogReader : IArtifactReader
{
    /// <summary>The most individual worker events kept per input; signatures still count every line.</summary>
    public const int MaximumWorkerEvents = 10_000;

    /// <summary>
    /// The texts of every line the reader acts on (the messages below, a traceback's start, a configuration dump's
    /// header); the lines between are only counted, which is what makes a large log fast to read. What follows a
    /// traceback or a dump is read line by line until it ends.
    /// </summary>
    private const string TracebackStart = "Traceback (most recent call last):";

    private static readonly LineMarkers Markers = new([
        "WORKER TIMEOUT (pid:", "Worker (pid:", "Worker with pid ", "Worker exiting (pid:", "Booting worker with pid:", "Reason: Worker failed to boot",
        "Reason: App failed to load", "Error handling request", "Connection in use", "Address already in use", "Starting gunicorn ", "Listening at: ",
        "Using worker: ", "Current configuration:", TracebackStart,
    ]);

    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.GunicornErrorLog;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var entries = head.Count(l => GunicornLogLine.TryParse(LogEnvelope.Unwrap(l).Text, out var e) && e.Level is not null);
        var gunicornWords = head.Count(l => l.Contains("gunicorn", StringComparison.OrdinalIgnoreCase) || l.Contains("Booting worker", StringComparison.Ordinal)
            || l.Contains("WORKER TIMEOUT", StringComparison.Ordinal));
        if (entries == 0)
        {
            return 0;
        }

        return Math.Min(100, 40 + entries * 5 + gunicornWords * 10 + (fileName.Contains("error", StringComparison.OrdinalIgnoreCase) ? 10 : 0));
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var state = new State(context);
        source.ForEachMarkedLine(context, Markers, (bytes, number, previous) => state.Line(bytes, number, previous));
        state.Finish();
    }

    private sealed class State(ReadContext context)
    {
        private readonly Dictionary<LogSignatureKind, LogSignatureAccumulator> _signatures = [];
        private readonly List<string> _frames = [];
        private int _events;
        private GunicornLogLine _entry;
        private bool _inDump;
        private long _tracebackLine;
        private bool _inTraceback;
        private (int Pid, string Code)? _lastExit;
        private long _lastLine;
        private bool _sawTimestamp;

        /// <summary>Reads one marked line (or one asked for); returns whether the next line is wanted too.</summary>
        public bool Line(ReadOnlySpan<byte> bytes, long number, ReadOnlySpan<byte> previous)
        {
            var raw = context.Text(bytes, number);
            if (_lastLine != number - 1 && previous.Length > 0 && raw.Contains(TracebackStart, StringComparison.Ordinal))
            {
                // The entry a traceback belongs to is the one right before it, which carried no marker.
                var (before, time) = LogEnvelope.Unwrap(context.Text(previous, number - 1));
                if (GunicornLogLine.TryParse(before, out var owner))
                {
                    _entry = owner.Time is null && time is not null ? owner with { Time = time } : owner;
                }
            }

            _lastLine = number;
            Line(raw, number);
            // Until the first time is seen every line is read, so the span starts where the log does.
            return _inDump || _inTraceback || !_sawTimestamp;
        }

        private void Line(string raw, long number)
        {
            var (text, collectorTime) = LogEnvelope.Unwrap(raw);
            if (!GunicornLogLine.TryParse(text, out var entry))
            {
                Continuation(text, number);
                return;
            }

            EndTraceback();
            _inDump = false;
            entry = entry.Time is null && collectorTime is not null ? entry with { Time = collectorTime } : entry;
            if (entry.Time is { } time)
            {
                context.SawTimestamp(time);
                _sawTimestamp = true;
            }

            _entry = entry;
            Message(entry, text, number);
        }

        public void Finish()
        {
            EndTraceback();
            foreach (var accumulator in _signatures.Values.OrderBy(a => a.Kind))
            {
                if (accumulator.ToSignature() is { } signature)
                {
                    context.Add(signature);
                }
            }
        }

        private void Message(GunicornLogLine entry, string text, long number)
        {
            var message = entry.Message;
            if (message.StartsWith("WORKER TIMEOUT (pid:", StringComparison.Ordinal))
            {
                Worker(LogSignatureKind.WorkerTimeout, PidAfter(message, "(pid:"), text, number, entry);
            }
            else if (message.StartsWith("Worker (pid:", StringComparison.Ordinal) && message.Contains(" was sent ", StringComparison.Ordinal))
            {
                var signal = Between(message, " was sent ", "!");
                Worker(signal == "SIGKILL" ? LogSignatureKind.WorkerSigkill : LogSignatureKind.WorkerSignaled, PidAfter(message, "(pid:"), text, number, entry,
                    signal: signal);
            }
            else if (message.StartsWith("Worker with pid ", StringComparison.Ordinal) && message.Contains("terminated due to signal ", StringComparison.Ordinal))
            {
                var signal = SignalName(message[(message.LastIndexOf(' ') + 1)..]);
                Worker(signal == "SIGKILL" ? LogSignatureKind.WorkerSigkill : LogSignatureKind.WorkerSignaled, PidAfter(message, "Worker with pid "), text, number,
                    entry, signal: signal);
            }
            else if (message.StartsWith("Worker (pid:", StringComparison.Ordinal) && message.Contains(" exited with code ", StringComparison.Ordinal))
            {
                var pid = PidAfter(message, "(pid:");
                var code = message[(message.IndexOf(" exited with code ", StringComparison.Ordinal) + 18)..].TrimEnd('.');
                // 21.x–23.0 log the same exit twice, without and with a period.
                if (_lastExit is { } last && pid is { } p && last.Pid == p && last.Code == code && message.EndsWith('.'))
                {
                    _lastExit = null;
                    return;
                }

                _lastExit = pid is { } exited ? (exited, code) : null;
                Worker(LogSignatureKind.WorkerExitedWithCode, pid, text, number, entry,
                    exitCode: int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null);
            }
            else if (message.StartsWith("Worker exiting (pid:", StringComparison.Ordinal))
            {
                Worker(LogSignatureKind.WorkerExiting, PidAfter(message, "(pid:"), text, number, entry);
            }
            else if (message.StartsWith("Booting worker with pid:", StringComparison.Ordinal))
            {
                Worker(LogSignatureKind.WorkerBoot, PidAfter(message, "pid:"), text, number, entry);
            }
            else if (message.StartsWith("Reason: Worker failed to boot", StringComparison.Ordinal))
            {
                Signature(LogSignatureKind.WorkerFailedToBoot, text, number, entry, entry.Pid);
            }
            else if (message.StartsWith("Reason: App failed to load", StringComparison.Ordinal))
            {
                Signature(LogSignatureKind.AppFailedToLoad, text, number, entry, entry.Pid);
            }
            else if (message.StartsWith("Error handling request", StringComparison.Ordinal))
            {
                Signature(LogSignatureKind.ErrorHandlingRequest, text, number, entry, entry.Pid);
            }
            else if (message.StartsWith("Connection in use", StringComparison.Ordinal) || message.Contains("Address already in use", StringComparison.Ordinal))
            {
                Signature(LogSignatureKind.ConnectionInUse, text, number, entry, entry.Pid);
            }
            else if (message.StartsWith("Starting gunicorn ", StringComparison.Ordinal))
            {
                var version = message[18..].Trim();
                if (Version.TryParse(version, out var parsed))
                {
                    context.Add(new SoftwareVersion("gunicorn", parsed, context.At(number)) { Timestamp = entry.Time });
                }
                else
                {
                    context.Warn(number, $"unrecognised Gunicorn version '{version}'");
                }
            }
            else if (message.StartsWith("Listening at: ", StringComparison.Ordinal))
            {
                var addresses = message[14..];
                var paren = addresses.LastIndexOf(" (", StringComparison.Ordinal);
                addresses = paren > 0 ? addresses[..paren] : addresses;
                var binds = addresses.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(a => a.StartsWith("http://", StringComparison.Ordinal) ? a[7..] : a.StartsWith("https://", StringComparison.Ordinal) ? a[8..] : a);
                Effective("bind", SettingValue.List(binds), "Listening at", number);
            }
            else if (message.StartsWith("Using worker: ", StringComparison.Ordinal))
            {
                Effective("worker_class", SettingValue.FromText(message[14..].Trim()), "Using worker", number);
            }
            else if (message.StartsWith("Current configuration:", StringComparison.Ordinal))
            {
                _inDump = true;
            }
        }

        private void Continuation(string text, long number)
        {
            if (_inDump && text.StartsWith("  ", StringComparison.Ordinal))
            {
                DumpSetting(text, number);
                return;
            }

            _inDump = false;
            if (text.StartsWith(TracebackStart, StringComparison.Ordinal))
            {
                EndTraceback();
                _inTraceback = true;
                _tracebackLine = number;
                return;
            }

            if (!_inTraceback)
            {
                return;
            }

            var trimmed = text.Trim();
            if (trimmed.StartsWith("File \"", StringComparison.Ordinal))
            {
                // Frame: File "/app/views.py", line 42, in report → report (/app/views.py:42)
                var file = Between(trimmed, "File \"", "\"");
                var line = Between(trimmed, ", line ", ",");
                var function = trimmed.Contains(", in ", StringComparison.Ordinal) ? trimmed[(trimmed.LastIndexOf(", in ", StringComparison.Ordinal) + 5)..] : "?";
                _frames.Add($"{function} ({file}:{line})");
            }
            else if (!text.StartsWith(' ') && trimmed.Length > 0)
            {
                // The exception line closes the traceback.
                if (trimmed.Contains("CancelledError", StringComparison.Ordinal))
                {
                    Signature(LogSignatureKind.RequestCancelled, trimmed, number, _entry, _entry.Pid);
                }

                EndTraceback(trimmed);
            }
        }

        private void EndTraceback(string? exception = null)
        {
            if (!_inTraceback)
            {
                return;
            }

            _inTraceback = false;
            if (_frames.Count > 0 && _entry.Pid is { } pid)
            {
                var frames = Enumerable.Reverse(_frames).ToList();
                if (exception is not null)
                {
                    frames.Insert(0, exception);
                }

                context.Add(new StackSnapshot(pid, frames, context.At(_tracebackLine)) { ProcessName = "gunicorn: worker", Timestamp = _entry.Time });
            }

            _frames.Clear();
        }

        private void DumpSetting(string text, long number)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return;
            }

            var name = text[..colon].Trim();
            var value = text[(colon + 1)..].Trim();
            if (!GunicornSettingCatalog.TryResolve(name, out var setting))
            {
                context.Warn(number, $"unknown Gunicorn setting '{name}' in the configuration dump");
                return;
            }

            if (setting.IsServerHook)
            {
                return;
            }

            try
            {
                Effective(setting.Name, setting.Parse(Unquote(value)), name, number);
            }
            catch (FormatException) when (value == "None")
            {
                Effective(setting.Name, SettingValue.FromText("None"), name, number);
            }
            catch (FormatException e)
            {
                context.Warn(number, e.Message);
            }
        }

        private void Effective(string name, SettingValue value, string writtenAs, long number) =>
            context.Add(new ConfigParameter(ConfigurationScope.Gunicorn, name, value, SettingOrigin.EffectiveDump, context.At(number)) { WrittenAs = writtenAs });

        private void Worker(LogSignatureKind kind, int? pid, string text, long number, GunicornLogLine entry, string? signal = null, int? exitCode = null)
        {
            Signature(kind, text, number, entry, pid);
            if (pid is { } workerPid && _events < MaximumWorkerEvents)
            {
                _events++;
                context.Add(new WorkerEvent(kind, workerPid, text, context.At(number))
                {
                    Timestamp = entry.Time,
                    Signal = signal,
                    ExitCode = exitCode,
                    MasterPid = kind is LogSignatureKind.WorkerBoot or LogSignatureKind.WorkerExiting ? null : entry.Pid,
                });
            }
        }

        private void Signature(LogSignatureKind kind, string text, long number, GunicornLogLine entry, int? pid)
        {
            if (!_signatures.TryGetValue(kind, out var accumulator))
            {
                accumulator = new LogSignatureAccumulator(kind);
                _signatures[kind] = accumulator;
            }

            accumulator.Add(context.At(number), text, entry.Time, pid);
        }

        private static int? PidAfter(string message, string marker)
        {
            var start = message.IndexOf(marker, StringComparison.Ordinal);
            if (start < 0)
            {
                return null;
            }

            var digits = message.AsSpan(start + marker.Length).TrimStart(' ');
            var length = 0;
            while (length < digits.Length && char.IsAsciiDigit(digits[length]))
            {
                length++;
            }

            return int.TryParse(digits[..length], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }

        private static string Between(string text, string start, string end)
        {
            var from = text.IndexOf(start, StringComparison.Ordinal);
            if (from < 0)
            {
                return "";
            }

            from += start.Length;
            var to = text.IndexOf(end, from, StringComparison.Ordinal);
            return to < 0 ? text[from..] : text[from..to];
        }

        private static string SignalName(string number) => number switch
        {
            "9" => "SIGKILL",
            "15" => "SIGTERM",
            "6" => "SIGABRT",
            "11" => "SIGSEGV",
            "2" => "SIGINT",
            "1" => "SIGHUP",
            _ => $"signal {number}",
        };

        private static string Unquote(string value) =>
            value.Length >= 2 && (value[0] == '\'' || value[0] == '"') && value[^1] == value[0] ? value[1..^1] : value;
    }
}
