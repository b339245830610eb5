using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.Accumulation;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.AccessLogs;

/// <summary>
/// Reads Gunicorn's access log, written with the default or a configured <c>access_log_format</c>, into traffic
/// summaries (overall and per path, health checks included), request-duration histograms (when the format logs a
/// request time), busy-worker samples (from a <c>busy=%({x-busy}i)s</c>-style atom) and signatures of 500, 502 and 504
/// responses.
/// </summary>
/// <remarks>
/// <para>
/// The format is, in order: the <c>access_log_format</c> among <see cref="ReadContext.KnownParameters"/> (from a
/// <c>gunicorn.conf.py</c> or command line read earlier in the batch); else the one of <see cref="CandidateFormats"/>
/// that matches most of the first <see cref="DetectionLines"/> lines; else Gunicorn's default. A configured format
/// that matches none of the first lines while a candidate does is reported and replaced by the candidate.
/// </para>
/// <para>
/// Busy-worker atoms are request/response header or environment atoms whose name contains <c>busy</c>. A value
/// <c>3/9</c> is 3 of 9 busy; a bare <c>3</c> takes its total from the configured <c>workers</c> (× <c>threads</c> for
/// gthread) when one is known among the known parameters, and gives no sample otherwise (reported once). Samples are
/// capped at <see cref="MaximumBusySamples"/> per input, thinned evenly at the same ratio for samples at full capacity
/// and the rest (see <see cref="BusySamples"/>).
/// </para>
/// <para>
/// Recognition (<see cref="Recognize"/>): 0 without lines that have a CLF time (<c>[23/Nov/2026:23:45:22 +0000]</c>)
/// and a quoted request line. nginx's <c>combined</c> format has the same shape as Gunicorn's default, so a plain such
/// log scores moderately (45–55, +10 for a name containing <c>access</c>), while Gunicorn evidence — <c>gunicorn</c> in
/// the name, a <c>busy=</c> field, a request time with Gunicorn's six decimals (<c>rt=0.012345</c>), a
/// <c>&lt;pid&gt;</c> atom, or Gunicorn error-log lines mixed in — makes it 85–95 (a trailing integer is no evidence:
/// it may be Gunicorn's <c>%(D)s</c> or nginx's <c>$request_length</c>). nginx evidence (<c>nginx</c> in the name,
/// <c>uct=</c>/<c>uht=</c>/<c>urt=</c> or <c>upstream_</c> fields, <c>rt=</c> with nginx's three decimals) caps it at
/// 25 so the nginx access-log reader takes the file, unless the name says <c>gunicorn</c>.
/// </para>
/// </remarks>
public sealed class GunicornAccessLogReader : IArtifactReader
{
    /// <summary>The name of the request-duration histograms.</summary>
    public const string DurationMetricName = "gunicorn_access_log_request_duration_seconds";

    /// <summary>The path under which requests to paths beyond <see cref="MaximumPaths"/> are summed.</summary>
    public const string OtherPath = "(other)";

    /// <summary>How many paths get a summary of their own (health-check paths always do).</summary>
    public const int MaximumPaths = 200;

    /// <summary>How many distinct paths are tracked at once; beyond twice that, the least requested are folded into "(other)".</summary>
    public const int MaximumTrackedPaths = 1000;

    /// <summary>The most busy-worker samples kept per input.</summary>
    public const int MaximumBusySamples = 10_000;

    /// <summary>How many first lines the format is detected from.</summary>
    public const int DetectionLines = 20;

    /// <summary>Paths longer than this are cut (and end with <c>…</c>).</summary>
    public const int MaximumPathLength = 256;

    private const int MaximumPinnedPaths = 20;

    private static readonly TimeSpan MaximumTimeSpread = TimeSpan.FromDays(5 * 366);

    private static readonly HashSet<string> HealthCheckNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "health", "healthz", "healthcheck", "health-check", "health_check", "_health", "ping", "ready", "readyz", "readiness",
        "live", "livez", "liveness", "alive", "heartbeat", "status", "_status", "lbheartbeat", "__heartbeat__",
    };

    /// <summary>
    /// The formats tried when no <c>access_log_format</c> is known: the documented seed format with request time and busy
    /// workers, the default with <c> rt=%(L)s</c>, <c> %(D)s</c> or <c> %(L)s</c> appended, and the default.
    /// </summary>
    public static IReadOnlyList<AccessLogFormat> CandidateFormats { get; } =
    [
        AccessLogFormat.Parse(AccessLogFormat.DefaultText + " rt=%(L)s busy=%({x-busy}i)s"),
        AccessLogFormat.Parse(AccessLogFormat.DefaultText + " rt=%(L)s"),
        AccessLogFormat.Parse(AccessLogFormat.DefaultText + " %(D)s"),
        AccessLogFormat.Parse(AccessLogFormat.DefaultText + " %(L)s"),
        AccessLogFormat.Default,
    ];

    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.GunicornAccessLog;

    /// <summary>Reads every line as text, never from its bytes: the reference the byte-level plan must agree with.</summary>
    internal bool TextOnly { get; init; }

    /// <summary>Counts the lines read from bytes on the reading thread instead of handing them to a second one.</summary>
    internal bool OneThread { get; init; }

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(head);
        var name = Path.GetFileName(fileName);
        var gunicornHint = name.Contains("gunicorn", StringComparison.OrdinalIgnoreCase);
        var nginxHint = name.Contains("nginx", StringComparison.OrdinalIgnoreCase);
        int lines = 0, shaped = 0, parsed = 0;
        foreach (var raw in head.Take(40))
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            lines++;
            var text = Unwrap(raw);
            if (!LooksLikeAccessLine(text))
            {
                gunicornHint |= GunicornLogLine.TryParse(text, out var entry) && entry.Level is not null;
                continue;
            }

            shaped++;
            nginxHint |= text.Contains(" uct=", StringComparison.Ordinal) || text.Contains(" urt=", StringComparison.Ordinal)
                || text.Contains(" uht=", StringComparison.Ordinal) || text.Contains("upstream_", StringComparison.Ordinal)
                || text.Contains("upstream=", StringComparison.Ordinal) || DecimalsAfter(text, " rt=") == 3;
            foreach (var format in CandidateFormats)
            {
                if (format.TryParseLine(text, out var entry))
                {
                    parsed++;
                    // A trailing integer could be nginx's $request_length as well as %(D)s: only six decimals and busy= tell.
                    gunicornHint |= format != AccessLogFormat.Default && (entry.Value("{x-busy}i") is not null
                        || DecimalsAfter(text, " ", last: true) == 6 || DecimalsAfter(text, " rt=") == 6);
                    break;
                }
            }

            gunicornHint |= HasPidAtom(text);
        }

        if (shaped == 0)
        {
            return 0;
        }

        var score = (parsed > 0 ? 45 : 35) + 10 * shaped / lines;
        if (name.Contains("access", StringComparison.OrdinalIgnoreCase))
        {
            score += 10;
        }

        if (nginxHint && !name.Contains("gunicorn", StringComparison.OrdinalIgnoreCase))
        {
            return Math.Min(score, 25);
        }

        return gunicornHint ? Math.Min(95, score + 40) : score;
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        using var state = new State(context, TextOnly, OneThread || Environment.ProcessorCount < 2);
        try
        {
            source.ForEachLine(context, state.Line);
        }
        finally
        {
            state.Stop();
        }

        state.Finish();
    }

    /// <summary>
    /// The line without what a collector wrapped around it: journald/syslog prefixes, <c>docker logs -t</c> timestamps,
    /// Kubernetes/Docker JSON (see <see cref="LogEnvelope"/>), and a platform's <c>app[web.1]: </c> source tag as Heroku
    /// writes it after its timestamp. The same instance when nothing was removed.
    /// </summary>
    internal static string Unwrap(string line)
    {
        var text = LogEnvelope.Unwrap(line).Text;
        var tag = text.IndexOf("]: ", StringComparison.Ordinal);
        if (tag > 0 && tag < 64)
        {
            var open = text.IndexOf('[', StringComparison.Ordinal);
            var isTag = open > 0 && open < tag;
            for (var i = 0; isTag && i < tag; i++)
            {
                isTag = i == open || char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or '-' or '_';
            }

            if (isTag)
            {
                return text[(tag + 3)..];
            }
        }

        return text;
    }

    /// <summary>True for a line with a CLF time (<c>[23/Nov/2026:23:45:22 +0000]</c>) and a quoted request line.</summary>
    internal static bool LooksLikeAccessLine(string text)
    {
        var hasTime = false;
        for (var open = text.IndexOf('[', StringComparison.Ordinal); open >= 0 && open + 28 <= text.Length; open = text.IndexOf('[', open + 1))
        {
            if (AccessLogFormat.TryParseTime(text.AsSpan(open, 28), out _))
            {
                hasTime = true;
                break;
            }
        }

        if (!hasTime)
        {
            return false;
        }

        for (var quote = text.IndexOf('"', StringComparison.Ordinal); quote >= 0; quote = text.IndexOf('"', quote + 1))
        {
            var end = quote + 1;
            while (end < text.Length && char.IsAsciiLetterUpper(text[end]))
            {
                end++;
            }

            if (end - quote - 1 is >= 3 and <= 10 && end < text.Length && text[end] == ' ')
            {
                var close = text.IndexOf('"', end);
                var request = close < 0 ? text.AsSpan(end) : text.AsSpan(end, close - end);
                if (request.Contains(" HTTP/", StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The number of decimals of the number after <paramref name="marker"/> (or of the line's last word), −1 if none.</summary>
    private static int DecimalsAfter(string text, string marker, bool last = false)
    {
        var at = last ? text.LastIndexOf(' ') : text.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return -1;
        }

        var span = text.AsSpan(at + marker.Length);
        var end = span.IndexOf(' ');
        span = end < 0 ? span : span[..end];
        var dot = span.IndexOf('.');
        if (dot <= 0 || !double.TryParse(span, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
        {
            return -1;
        }

        return span.Length - dot - 1;
    }

    /// <summary>True when the line has a Gunicorn <c>%(p)s</c> value, <c>&lt;1234&gt;</c>, as a word of its own.</summary>
    private static bool HasPidAtom(string text)
    {
        for (var open = text.IndexOf(" <", StringComparison.Ordinal); open >= 0; open = text.IndexOf(" <", open + 1, StringComparison.Ordinal))
        {
            var end = open + 2;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end > open + 2 && end < text.Length && text[end] == '>' && (end + 1 == text.Length || text[end + 1] == ' '))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHealthCheck(string path)
    {
        var trimmed = path.AsSpan().TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        var last = slash < 0 ? trimmed : trimmed[(slash + 1)..];
        return last.Length > 0 && HealthCheckNames.Contains(last.ToString());
    }

    private sealed class State : IDisposable
    {
        private readonly ReadContext _context;
        private readonly List<(string Text, long Number)> _head = [];
        private readonly TrafficStatistics _overall = new(null, null, compact: false);
        private readonly Dictionary<string, TrafficStatistics> _paths = new(StringComparer.Ordinal);
#if NET9_0_OR_GREATER
        private readonly Dictionary<string, TrafficStatistics>.AlternateLookup<ReadOnlySpan<char>> _pathsBySpan;
#endif
        private readonly byte[] _stamp = new byte[28];
        private readonly (byte[] Bytes, TrafficStatistics? Stats)[] _recentPaths = new (byte[], TrafficStatistics?)[1024];
        private AccessLogLinePlan? _plan;
        private bool _hasStamp;
        private DateTimeOffset _stampTime;
        private readonly TimelineBudget _budget = new();
        private readonly Dictionary<LogSignatureKind, LogSignatureAccumulator> _signatures = [];
        private readonly BusySamples _busy = new(MaximumBusySamples);
        private TrafficStatistics? _other;
        private AccessLogFormat? _format;
        private int _busyIndex = -1;
        private int[] _secretIndexes = [];
        private int? _capacity;
        private bool _warnedBusyWithoutTotal;
        private DateTimeOffset? _anchor;
        private long _requests;
        private int _pinned;
        private long _errorLogLines;
        private long _firstErrorLogLine;
        private bool _inErrorEntry;

        private readonly bool _textOnly;
        private readonly ConcurrentQueue<CountedLines> _free = new();
        private bool _oneThread;
        private CountedLines? _filling;
        private BlockingCollection<CountedLines>? _full;
        private Thread? _counter;
        private int _inFlight;
        private long _waits;
        private Exception? _failure;

        public State(ReadContext context, bool textOnly, bool oneThread)
        {
            _context = context;
            _textOnly = textOnly;
            _oneThread = oneThread;
#if NET9_0_OR_GREATER
            _pathsBySpan = _paths.GetAlternateLookup<ReadOnlySpan<char>>();
#endif
        }

        /// <summary>Reads a line from its bytes when the plan takes it (the common case), else as text.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Line(ReadOnlySpan<byte> bytes, long number)
        {
            if (_plan is null || !TryRecord(bytes, number))
            {
                // The text path counts too: the lines handed on before must be counted first.
                Drain(number);
                Line(_context.Text(bytes, number), number);
            }
        }

        public void Line(string text, long number)
        {
            if (_format is null)
            {
                if (!string.IsNullOrWhiteSpace(text))
                {
                    _head.Add((text, number));
                }

                if (_head.Count >= DetectionLines)
                {
                    Decide();
                }

                return;
            }

            Process(text, number);
        }

        /// <summary>Counts what was handed on and ends the counting thread; rethrows what failed there.</summary>
        public void Stop()
        {
            if (_filling is { Count: > 0 } && _failure is null)
            {
                Send();
            }

            if (_counter is not null)
            {
                _full!.CompleteAdding();
                _counter.Join();
                _counter = null;
            }

            if (_failure is { } failure)
            {
                _failure = null;
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }

        public void Dispose() => _full?.Dispose();

        public void Finish()
        {
            if (_format is null)
            {
                Decide();
            }

            if (_errorLogLines > 0)
            {
                _context.Warn(_firstErrorLogLine, string.Create(CultureInfo.InvariantCulture,
                    $"{_errorLogLines} line(s) of Gunicorn's error log (both logs written to one stream?) were skipped; read them as an error log too"));
            }

            if (_requests == 0)
            {
                return;
            }

            if (_budget.Spent)
            {
                foreach (var stats in _paths.Values)
                {
                    stats.DropTimeline();
                }

                _other?.DropTimeline();
                _context.Warn(0, string.Create(CultureInfo.InvariantCulture,
                    $"the log covers too many path-minutes (over {TimelineBudget.MaximumCells}) to keep a timeline per path; per-path summaries have none (the overall timeline is kept)"));
            }

            var ranked = _paths.Values.OrderByDescending(s => s.Requests).ThenBy(s => s.Path, StringComparer.Ordinal).ToList();
            var reported = new List<TrafficStatistics>();
            foreach (var stats in ranked)
            {
                if (reported.Count < MaximumPaths || stats.Pinned)
                {
                    reported.Add(stats);
                }
                else
                {
                    stats.FoldInto(_other ??= NewOther());
                }
            }

            if (_other is { Requests: > 0 })
            {
                reported.Add(_other);
            }

            _context.Add(_overall.ToSummary(_context.At(_overall.FirstLine)));
            foreach (var stats in reported)
            {
                _context.Add(stats.ToSummary(_context.At(stats.FirstLine)));
            }

            if (_format!.DurationAtom is not null)
            {
                if (_overall.ToHistogram(DurationMetricName, _context.At(_overall.FirstLine), null) is { } all)
                {
                    _context.Add(all);
                }

                foreach (var stats in reported)
                {
                    if (stats.ToHistogram(DurationMetricName, _context.At(stats.FirstLine), new Dictionary<string, string> { ["path"] = stats.Path! }) is { } histogram)
                    {
                        _context.Add(histogram);
                    }
                }
            }

            foreach (var sample in _busy.ToObservations(_context))
            {
                _context.Add(sample);
            }

            foreach (var accumulator in _signatures.Values.OrderBy(a => a.Kind))
            {
                if (accumulator.ToSignature() is { } signature)
                {
                    _context.Add(signature);
                }
            }
        }

        private TrafficStatistics NewOther() => new(OtherPath, _budget, compact: false);

        private void Decide()
        {
            var configuration = Configuration();
            var configured = Configured(configuration);
            var best = CandidateFormats.Select(f => (Format: f, Matches: _head.Count(l => Matches(f, l.Text))))
                .OrderByDescending(c => c.Matches).First();
            if (configured is { } format)
            {
                if (_head.Count > 0 && best.Matches > 0 && !_head.Any(l => Matches(format.Format, l.Text)))
                {
                    _context.Warn(0, $"none of the first {_head.Count} lines match the configured access_log_format '{format.Format}' ({format.Source}); "
                        + $"they match '{best.Format}', which was used instead");
                    _format = best.Format;
                }
                else
                {
                    _format = format.Format;
                }
            }
            else
            {
                _format = best.Matches > 0 ? best.Format : AccessLogFormat.Default;
                if (_head.Count > 0 && best.Matches == 0)
                {
                    _context.Warn(0, "the first lines match neither Gunicorn's default access log format nor a common variant, and no access_log_format "
                        + "is known (read the gunicorn.conf.py or command line in the same batch); Gunicorn's default format was tried");
                }
            }

            foreach (var atom in _format.Atoms.Where(a => a.Kind == AccessLogAtomKind.Unknown))
            {
                _context.Warn(0, $"the access_log_format atom {atom} is not one Gunicorn knows; Gunicorn writes '-' for it");
            }

            // Headers such as Authorization, X-Api-Key or Cookie must not reach the examples.
            _secretIndexes = [.. Enumerable.Range(0, _format.Atoms.Count).Where(i => _format.Atoms[i].Key is { } key
                && (SecretRedactor.IsSecretName(key) || key.Contains("cookie", StringComparison.Ordinal)))];
            for (var i = 0; i < _format.Atoms.Count; i++)
            {
                if (_format.Atoms[i].Key is { } key && key.Contains("busy", StringComparison.Ordinal))
                {
                    _busyIndex = i;
                    _capacity = Capacity(configuration);
                    break;
                }
            }

            _plan = _textOnly ? null : AccessLogLinePlan.For(_format, _busyIndex);
            foreach (var (text, number) in _head)
            {
                Process(text, number);
            }

            _head.Clear();
        }

        private static bool Matches(AccessLogFormat format, string text) =>
            format.TryParseLine(text, out _) || format.TryParseLine(Unwrap(text), out _);

        private GunicornConfiguration Configuration()
        {
            var parameters = _context.KnownParameters
                .Where(p => p.Scope is ConfigurationScope.Gunicorn or ConfigurationScope.Platform
                    && (_context.Instance is null || p.Instance == _context.Instance))
                .Select(p => p with { Instance = null });
            return GunicornConfiguration.Resolve(parameters);
        }

        private (AccessLogFormat Format, string Source)? Configured(GunicornConfiguration configuration)
        {
            if (!configuration.TryGet(GunicornSettingCatalog.AccessLogFormat.Name, out var parameter) || parameter.IsDefault)
            {
                return null;
            }

            var source = $"{parameter.WrittenAs} at {parameter.Source}";
            if (AccessLogFormat.TryParse(parameter.Value.Text, out var format, out var error))
            {
                return (format, source);
            }

            _context.Warn(0, $"the configured access_log_format '{parameter.Value.Text}' ({source}) is invalid: {error}; the format was detected from the lines instead");
            return null;
        }

        private static int? Capacity(GunicornConfiguration configuration)
        {
            if (!configuration.TryGet(GunicornSettingCatalog.Workers.Name, out var workers) || workers.IsDefault
                || configuration.WorkerCount(null) is not { } count || count <= 0)
            {
                return null;
            }

            return configuration.EffectiveWorkerClass == "gthread" ? count * Math.Max(1, configuration.Threads) : count;
        }

        private void Process(string text, long number)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return;
            }

            var line = text;
            if (!_format!.TryParseLine(line, out var entry, out var problem))
            {
                var unwrapped = Unwrap(text);
                if (!ReferenceEquals(unwrapped, text) && _format.TryParseLine(unwrapped, out entry))
                {
                    line = unwrapped;
                }
                else if (GunicornLogLine.TryParse(unwrapped, out var error) && error.Level is not null)
                {
                    ErrorLogLine(number);
                    _inErrorEntry = true;
                    return;
                }
                else if (_inErrorEntry && !LooksLikeAccessLine(unwrapped))
                {
                    ErrorLogLine(number);
                    return;
                }
                else
                {
                    _context.Warn(number, $"not a line of the access log format '{_format}': {problem}; skipped");
                    return;
                }
            }

            _inErrorEntry = false;
            Record(entry, line, number);
        }

        private void ErrorLogLine(long number)
        {
            if (_errorLogLines++ == 0)
            {
                _firstErrorLogLine = number;
            }
        }

        private void Record(AccessLogEntry entry, string line, long number)
        {
            _requests++;
            var time = entry.Time;
            if (time is { } t)
            {
                if (!WithinSpread(t))
                {
                    _context.Warn(number, string.Create(CultureInfo.InvariantCulture,
                        $"the time {t:yyyy-MM-dd HH:mm:ss zzz} is years away from the log's first time; the request was counted without it"));
                    time = null;
                }
                else
                {
                    _context.SawTimestamp(t);
                }
            }

            _overall.Add(number, time, entry.Status, entry.Duration);
            if (entry.Path is { } rawPath)
            {
                var path = CleanPath(rawPath);
                if (!_paths.TryGetValue(path, out var stats))
                {
                    stats = NewPath(path);
                }

                stats.LastTouch = _requests;
                stats.Add(number, time, entry.Status, entry.Duration);
            }

            if (SignatureOf(entry.Status) is { } kind)
            {
                AddSignature(kind, number, Redact(line, entry), time, entry.Pid);
            }

            if (_busyIndex >= 0)
            {
                Busy(entry.Values[_busyIndex], number, time);
            }
        }

        /// <summary>The signature a response status makes (500, 502, 504), or null.</summary>
        private static LogSignatureKind? SignatureOf(int? status) => status switch
        {
            500 => LogSignatureKind.Http500,
            502 => LogSignatureKind.Http502,
            504 => LogSignatureKind.Http504,
            _ => null,
        };

        private void AddSignature(LogSignatureKind kind, long number, string text, DateTimeOffset? time, int? pid)
        {
            if (!_signatures.TryGetValue(kind, out var accumulator))
            {
                _signatures[kind] = accumulator = new LogSignatureAccumulator(kind);
            }

            accumulator.Add(_context.At(number), text, time, pid);
        }

        private TrafficStatistics NewPath(string path)
        {
            if (_paths.Count >= 2 * MaximumTrackedPaths)
            {
                Compact();
            }

            var pinned = _pinned < MaximumPinnedPaths && IsHealthCheck(path);
            _pinned += pinned ? 1 : 0;
            var stats = new TrafficStatistics(path, _budget, compact: true) { Pinned = pinned };
            _paths[path] = stats;
            return stats;
        }

        /// <summary>
        /// Counts a line the plan takes, as <see cref="Process"/> would: false, with nothing counted, for a line that needs
        /// the text path (not plain, a 5xx whose signature quotes the line, a time to warn about, a path to cut or redact,
        /// an odd busy-worker value).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryRecord(ReadOnlySpan<byte> bytes, long number)
        {
            if (!_plan!.TryRead(bytes, out var fields))
            {
                return false;
            }

            // A 5xx's signature quotes the line; a format with secret headers needs them masked there, as text.
            var signature = SignatureOf(fields.Status) is not null;
            if (signature && _secretIndexes.Length > 0)
            {
                return false;
            }

            DateTimeOffset? time = null;
            if (_plan.HasTime)
            {
                if (!_hasStamp || !fields.Time.SequenceEqual(_stamp) )
                {
                    if (!TryStamp(fields.Time))
                    {
                        return false;
                    }
                }

                time = _stampTime;
            }

            int busy = 0, total = 0;
            var sample = false;
            if (_busyIndex >= 0 && !fields.Value.IsEmpty && !fields.Value.SequenceEqual("-"u8))
            {
                if (!TryBusy(fields.Value, out busy, out var ofTotal, out var hasTotal) || (!hasTotal && _capacity is null))
                {
                    return false;
                }

                total = hasTotal ? ofTotal : _capacity!.Value;
                sample = true;
            }

            if (fields.HasPath && (fields.Path.Length > MaximumPathLength || fields.Path.IndexOfAny((byte)'=', (byte)'@') >= 0))
            {
                return false;
            }

            _inErrorEntry = false;
            var counted = new CountedLine
            {
                Number = number,
                Time = time,
                Status = fields.Status,
                DurationTicks = fields.DurationTicks,
                Pid = fields.Pid,
                Busy = sample ? busy : -1,
                Total = total,
            };
            if (_oneThread)
            {
                Count(counted, fields.HasPath ? fields.Path : default, fields.HasPath, signature ? bytes : default, signature);
                return true;
            }

            var batch = _filling ??= _free.TryDequeue(out var recycled) ? recycled : new CountedLines();
            batch.Add(counted, fields.HasPath ? fields.Path : default, fields.HasPath, signature ? bytes : default, signature);
            if (batch.Full)
            {
                Send();
            }

            return true;
        }

        /// <summary>Counts one request read from bytes, as <see cref="Record"/> counts one read as text.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Count(in CountedLine line, ReadOnlySpan<byte> path, bool hasPath, ReadOnlySpan<byte> text, bool signature)
        {
            _requests++;
            int? status = line.Status >= 0 ? line.Status : null;
            TimeSpan? duration = line.DurationTicks >= 0 ? TimeSpan.FromTicks(line.DurationTicks) : null;
            _overall.Add(line.Number, line.Time, status, duration);
            if (hasPath)
            {
                var stats = Statistics(path);
                stats.LastTouch = _requests;
                stats.Add(line.Number, line.Time, status, duration);
            }

            if (signature && SignatureOf(line.Status) is { } kind)
            {
                AddSignature(kind, line.Number, SecretRedactor.Redact(System.Text.Encoding.ASCII.GetString(text)), line.Time,
                    line.Pid >= 0 ? line.Pid : null);
            }

            if (line.Busy >= 0)
            {
                _busy.Add(line.Busy, line.Total, line.Number, line.Time);
            }
        }

        /// <summary>Hands the filled batch to the counting thread, started with the first one (small inputs never start it).</summary>
        private void Send()
        {
            if (_full is null)
            {
                _full = new BlockingCollection<CountedLines>(4);
                _counter = new Thread(CountBatches) { IsBackground = true, Name = "access log counting" };
                _counter.Start();
            }

            Interlocked.Increment(ref _inFlight);
            _full.Add(_filling!);
            _filling = null;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void CountBatches()
        {
            foreach (var batch in _full!.GetConsumingEnumerable())
            {
                if (_failure is null)
                {
                    try
                    {
                        for (var i = 0; i < batch.Count; i++)
                        {
                            ref readonly var line = ref batch.Line(i);
                            Count(line, batch.Path(i), line.PathLength >= 0, batch.Text(i), line.TextLength >= 0);
                        }
                    }
                    catch (Exception e)
                    {
                        _failure = e;
                    }
                }

                batch.Clear();
                _free.Enqueue(batch);
                Interlocked.Decrement(ref _inFlight);
            }
        }

        /// <summary>Waits until every line handed on is counted; after many waits for few lines, counts on this thread from then on.</summary>
        private void Drain(long number)
        {
            if (_filling is { Count: > 0 })
            {
                Send();
            }

            if (Volatile.Read(ref _inFlight) == 0)
            {
                return;
            }

            var spin = default(SpinWait);
            while (Volatile.Read(ref _inFlight) > 0)
            {
                spin.SpinOnce();
            }

            if (++_waits > 1_000 && _waits * 64 > number)
            {
                _oneThread = true;
            }

            if (_failure is not null)
            {
                Stop();
            }
        }

        /// <summary>Parses a new <c>%(t)s</c> and keeps it for the lines that repeat it; false when the text path must warn about it.</summary>
        private bool TryStamp(ReadOnlySpan<byte> stamp)
        {
            Span<char> text = stackalloc char[28];
            for (var i = 0; i < text.Length; i++)
            {
                text[i] = (char)stamp[i];
            }

            if (!AccessLogFormat.TryParseTime(text, out var t))
            {
                return false;
            }

            if (!WithinSpread(t))
            {
                return false;
            }

            stamp.CopyTo(_stamp);
            _hasStamp = true;
            _stampTime = t;
            _context.SawTimestamp(t);
            return true;
        }

        /// <summary>
        /// True when <paramref name="time"/> is within a few years of the log's first plausible time, which it becomes when
        /// there is none yet; times outside are typos or garbage and are not counted.
        /// </summary>
        private bool WithinSpread(DateTimeOffset time)
        {
            if (_anchor is null && time.Year is >= 1970 and <= 2200)
            {
                _anchor = time;
            }

            return _anchor is { } anchor && (time - anchor).Duration() <= MaximumTimeSpread;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private TrafficStatistics Statistics(ReadOnlySpan<byte> path)
        {
            // Most requests go to a few paths: a slot per hash of the bytes spares widening them and the dictionary's lookup.
            ref var slot = ref _recentPaths[(uint)HashOf(path) % (uint)_recentPaths.Length];
            if (slot.Stats is { } recent && path.SequenceEqual(slot.Bytes))
            {
                return recent;
            }

            var stats = LookUp(path);
            slot = (path.ToArray(), stats);
            return stats;
        }

        /// <summary>A quick hash of a path: its length, first and last eight bytes (paths mostly differ at their ends).</summary>
        private static int HashOf(ReadOnlySpan<byte> bytes)
        {
            var hash = (ulong)bytes.Length;
            if (bytes.Length >= 8)
            {
                hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * 0x9E3779B97F4A7C15;
                hash ^= BinaryPrimitives.ReadUInt64LittleEndian(bytes[^8..]);
            }
            else
            {
                foreach (var b in bytes)
                {
                    hash = (hash << 8) | b;
                }
            }

            hash *= 0x9E3779B97F4A7C15;
            return (int)(hash >> 40);
        }

        private TrafficStatistics LookUp(ReadOnlySpan<byte> path)
        {
#if NET9_0_OR_GREATER
            Span<char> chars = stackalloc char[MaximumPathLength];
            for (var i = 0; i < path.Length; i++)
            {
                chars[i] = (char)path[i];
            }

            var key = chars[..path.Length];
            return _pathsBySpan.TryGetValue(key, out var stats) ? stats : NewPath(key.ToString());
#else
            var key = System.Text.Encoding.ASCII.GetString(path);
            return _paths.TryGetValue(key, out var stats) ? stats : NewPath(key);
#endif
        }

        /// <summary>A busy-worker value N or N/TOTAL of at most nine digits each (longer ones are left to the text path).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static bool TryBusy(ReadOnlySpan<byte> value, out int busy, out int total, out bool hasTotal)
        {
            total = 0;
            var slash = value.IndexOf((byte)'/');
            hasTotal = slash >= 0;
            return TryCount(hasTotal ? value[..slash] : value, out busy) && (!hasTotal || TryCount(value[(slash + 1)..], out total));
        }

        private static bool TryCount(ReadOnlySpan<byte> digits, out int count)
        {
            var read = digits.Length <= 9 & AccessLogLinePlan.TryDigits(digits, out var value);
            count = read ? (int)value : 0;
            return read;
        }

        private string Redact(string line, AccessLogEntry entry)
        {
            var text = SecretRedactor.Redact(line);
            foreach (var index in _secretIndexes)
            {
                var value = entry.Values[index].Replace("\"", "\\\"", StringComparison.Ordinal);
                if (value.Length >= 3)
                {
                    text = text.Replace(value, SecretRedactor.Mask, StringComparison.Ordinal);
                }
            }

            return text;
        }

        private void Compact()
        {
            // Folded paths leave the dictionary; the recent ones must not point at them.
            Array.Clear(_recentPaths);
            var keep = new HashSet<TrafficStatistics>(_paths.Values.OrderByDescending(s => s.Pinned).ThenByDescending(s => s.Requests)
                .ThenByDescending(s => s.LastTouch).Take(MaximumTrackedPaths));
            foreach (var (path, stats) in _paths.ToArray())
            {
                if (!keep.Contains(stats))
                {
                    stats.FoldInto(_other ??= NewOther());
                    _paths.Remove(path);
                }
            }
        }

        private void Busy(string value, long number, DateTimeOffset? time)
        {
            if (value is "-" or "")
            {
                return;
            }

            var slash = value.IndexOf('/', StringComparison.Ordinal);
            var busyText = slash < 0 ? value : value[..slash];
            var total = 0;
            if (!int.TryParse(busyText, NumberStyles.None, CultureInfo.InvariantCulture, out var busy)
                || (slash >= 0 && !int.TryParse(value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out total)))
            {
                _context.Warn(number, $"the busy-worker value '{Shorten(value)}' of {_format!.Atoms[_busyIndex]} is neither N nor N/TOTAL; no sample taken");
                return;
            }

            if (slash < 0)
            {
                if (_capacity is not { } capacity)
                {
                    if (!_warnedBusyWithoutTotal)
                    {
                        _warnedBusyWithoutTotal = true;
                        _context.Warn(number, $"the busy-worker value '{value}' has no total (write N/TOTAL) and no workers setting is known "
                            + "(read the gunicorn.conf.py or command line in the same batch); no worker-utilization samples were taken");
                    }

                    return;
                }

                total = capacity;
            }

            _busy.Add(busy, total, number, time);
        }

        private static string CleanPath(string path)
        {
            if (path.Length > MaximumPathLength)
            {
                path = path[..MaximumPathLength] + "…";
            }

            return path.Contains('=', StringComparison.Ordinal) || path.Contains('@', StringComparison.Ordinal)
                ? SecretRedactor.Redact(path)
                : path;
        }

        private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;
    }
}
