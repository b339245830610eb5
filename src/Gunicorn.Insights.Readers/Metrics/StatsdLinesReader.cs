using System.Globalization;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.Accumulation;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Metrics;

/// <summary>
/// Reads StatsD datagrams as Gunicorn's <c>Statsd</c> logger sends them, one per line (a capture of the UDP port, or a
/// StatsD server's debug output), each optionally preceded by an ISO 8601 time (<c>2026-11-23T23:45:22Z …</c>):
/// <list type="bullet">
/// <item><description><c>gunicorn.request.duration:12.345|ms</c> (milliseconds) → one
/// <see cref="RequestDurationHistogram"/> named <c>gunicorn_request_duration_statsd</c> per prefix and tag set, with a
/// 2 % bucket resolution;</description></item>
/// <item><description>counters (<c>gunicorn.requests</c>, <c>gunicorn.request.status.502</c>, <c>gunicorn.log.critical</c>, …)
/// → one <see cref="Counter"/> each, summed (divided by the sample rate), with the time window from the first to the
/// last timed datagram;</description></item>
/// <item><description><c>gunicorn.request.status.&lt;code&gt;</c> → also a <see cref="TrafficSummary"/> of the status
/// counts (logger <c>statsd</c>);</description></item>
/// <item><description>gauges (<c>gunicorn.workers</c>) → a <see cref="Gauge"/> with the last value (signed values change
/// it, as StatsD does); other timers and histograms (<c>gunicorn.backlog</c>) → a <see cref="Gauge"/> with the largest
/// value seen.</description></item>
/// </list>
/// The configured <c>statsd_prefix</c> (from an earlier Gunicorn configuration in the batch) is stripped; without one,
/// anything before <c>gunicorn.</c> is taken as the prefix. A non-empty prefix and DogStatsD tags (<c>|#k:v,tag</c>)
/// become labels (<c>prefix</c>, and one per tag).
/// </summary>
public sealed class StatsdLinesReader : IArtifactReader
{
    /// <summary>The metric name of the request-duration histogram built from the timer.</summary>
    public const string DurationMetricName = "gunicorn_request_duration_statsd";

    /// <summary>The most distinct series (name, prefix and tags) kept per input.</summary>
    public const int MaximumSeries = 1_000;

    private const int MaximumRepeat = 1_000;
    private const int MaximumTags = 64;

    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.StatsdLines;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(head);
        var datagrams = 0;
        var gunicorn = 0;
        var other = 0;
        var samples = new List<StatsdDatagram>();
        foreach (var raw in head)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            samples.Clear();
            var (_, datagram) = SplitTime(line);
            if (StatsdDatagram.TryParse(datagram, samples, out _))
            {
                datagrams++;
                gunicorn += datagram.Contains("gunicorn.", StringComparison.Ordinal) ? 1 : 0;
            }
            else
            {
                other++;
            }
        }

        if (datagrams == 0 || other > datagrams)
        {
            return 0;
        }

        var named = fileName.Contains("statsd", StringComparison.OrdinalIgnoreCase);
        return Math.Min(100, 40 + datagrams * 3 + (gunicorn > 0 ? 25 : 0) + (named ? 20 : 0));
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var state = new State(context, ConfiguredPrefix(context.KnownParameters));
        source.ForEachLine(context, (bytes, number) => state.Line(context.Text(bytes, number), number));
        state.Finish();
    }

    /// <summary>Splits an optional leading ISO 8601 time (<c>2026-11-23T23:45:22Z</c>, or date and time as two words) from the datagram.</summary>
    internal static (DateTimeOffset? Time, string Datagram) SplitTime(string line)
    {
        if (line.Length < 11 || !char.IsAsciiDigit(line[0]) || line[4] != '-')
        {
            return (null, line);
        }

        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return (null, line);
        }

        var first = line[..space].TrimEnd(',', ';');
        var rest = line[(space + 1)..].TrimStart();

        // "2026-11-23 23:45:22.123 gunicorn.requests:1|c": a date, then a time.
        var second = rest.IndexOf(' ', StringComparison.Ordinal);
        if (first.Length == 10 && second > 0 && char.IsAsciiDigit(rest[0]) && rest.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon
            && colon < second && TryTime(first + "T" + rest[..second].TrimEnd(',', ';'), out var time))
        {
            return (time, rest[(second + 1)..].TrimStart());
        }

        return TryTime(first, out time) ? (time, rest) : (null, line);
    }

    private static bool TryTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text.Replace(',', '.'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time)
        && text.Length >= 10 && text[4] == '-' && text[7] == '-';

    /// <summary>The <c>statsd_prefix</c> of an earlier Gunicorn configuration, with exactly one trailing dot, as Gunicorn sends it.</summary>
    private static string? ConfiguredPrefix(IReadOnlyList<ConfigParameter> parameters)
    {
        var prefix = parameters.LastOrDefault(p => p.Scope == ConfigurationScope.Gunicorn && p.Name == "statsd_prefix")?.Value.Text.Trim();
        if (string.IsNullOrEmpty(prefix) || prefix == "None")
        {
            return null;
        }

        prefix = prefix.Trim('\'', '"').TrimEnd('.');
        return prefix.Length == 0 ? null : prefix + ".";
    }

    private sealed class Series(string name, Dictionary<string, string> labels, long line)
    {
        public string Name { get; } = name;

        public Dictionary<string, string> Labels { get; } = labels;

        public long FirstLine { get; } = line;

        public long LastLine { get; set; } = line;

        public double Value { get; set; }

        public long Samples { get; set; }

        public DateTimeOffset? First { get; set; }

        public DateTimeOffset? Last { get; set; }

        public MetricUnit Unit { get; set; } = MetricUnit.Count;

        public void Saw(DateTimeOffset? time)
        {
            if (time is not { } t)
            {
                return;
            }

            First = First is { } f && f <= t ? f : t;
            Last = Last is { } l && l >= t ? l : t;
        }
    }

    private sealed class Durations(Dictionary<string, string> labels, long line)
    {
        public DurationDistributionAccumulator Accumulator { get; } = new();

        public Dictionary<string, string> Labels { get; } = labels;

        public long Line { get; } = line;
    }

    private sealed class Traffic(Dictionary<string, string> labels, long line)
    {
        public Dictionary<int, long> Statuses { get; } = [];

        public TimelineAccumulator Timeline { get; } = new();

        public Dictionary<string, string> Labels { get; } = labels;

        public long Line { get; } = line;
    }

    private sealed class State(ReadContext context, string? configuredPrefix)
    {
        private const string Duration = "gunicorn.request.duration";
        private const string Status = "gunicorn.request.status.";

        private readonly Dictionary<string, Series> _counters = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Series> _gauges = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Durations> _durations = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Traffic> _traffic = new(StringComparer.Ordinal);
        private readonly List<StatsdDatagram> _samples = [];
        private long _dropped;

        /// <summary>Reports a problem; quoted input is masked for secrets first.</summary>
        private void Warn(long line, string message) => context.Warn(line, SecretRedactor.Redact(message));

        public void Line(string text, long number)
        {
            var line = (number == 1 ? text.TrimStart('\uFEFF') : text).Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                return;
            }

            var (time, datagram) = SplitTime(line);
            _samples.Clear();
            if (!StatsdDatagram.TryParse(datagram, _samples, out var error))
            {
                Warn(number, $"not a StatsD datagram: {error}; line skipped");
                return;
            }

            if (time is { } seen)
            {
                context.SawTimestamp(seen);
            }

            foreach (var sample in _samples)
            {
                Sample(sample, time, number);
            }
        }

        public void Finish()
        {
            foreach (var durations in _durations.Values)
            {
                if (durations.Accumulator.ToHistogram(DurationMetricName, context.At(durations.Line), durations.Labels) is { } histogram)
                {
                    context.Add(histogram);
                }
            }

            foreach (var counter in _counters.Values)
            {
                context.Add(new Counter(counter.Name, counter.Value, context.At(counter.FirstLine))
                {
                    Labels = counter.Labels,
                    Timestamp = counter.First,
                    Window = counter.First is { } first && counter.Last is { } last && last > first ? last - first : null,
                });
            }

            foreach (var gauge in _gauges.Values)
            {
                context.Add(new Gauge(gauge.Name, gauge.Value, gauge.Unit, context.At(gauge.LastLine)) { Labels = gauge.Labels, Timestamp = gauge.Last });
            }

            foreach (var traffic in _traffic.Values)
            {
                var timeline = traffic.Timeline.ToTimeline();
                context.Add(new TrafficSummary(traffic.Statuses.Values.Sum(), traffic.Statuses, context.At(traffic.Line))
                {
                    Logger = "statsd",
                    FirstSeen = traffic.Timeline.First,
                    LastSeen = traffic.Timeline.Last,
                    Timeline = timeline,
                    Timestamp = traffic.Timeline.First,
                });
            }

            if (_dropped > 0)
            {
                Warn(0, $"{_dropped} samples of series beyond the first {MaximumSeries} were not kept");
            }
        }

        private void Sample(StatsdDatagram sample, DateTimeOffset? time, long number)
        {
            var (prefix, name) = SplitPrefix(sample.Name);
            var labels = Labels(prefix, sample.Tags);
            var seriesKey = prefix + "\0" + sample.Tags;
            switch (sample.Type)
            {
                case "ms" or "h" or "d" when name == Duration:
                    RequestDuration(sample, seriesKey, labels, time, number);
                    break;
                case "c":
                    var counter = SeriesFor(_counters, name, seriesKey, labels, number);
                    if (counter is null)
                    {
                        return;
                    }

                    var increase = sample.Value / sample.Rate;
                    counter.Value += increase;
                    counter.Saw(time);
                    if (name.StartsWith(Status, StringComparison.Ordinal))
                    {
                        StatusCount(name[Status.Length..], increase, seriesKey, labels, time, number);
                    }

                    break;
                case "g":
                    var gauge = SeriesFor(_gauges, name, seriesKey, labels, number);
                    if (gauge is null)
                    {
                        return;
                    }

                    // A signed value changes a StatsD gauge; from nothing, it changes zero.
                    gauge.Value = sample.Signed ? gauge.Value + sample.Value : sample.Value;
                    gauge.Samples++;
                    gauge.LastLine = number;
                    gauge.Saw(time);
                    break;
                case "ms" or "h" or "d":
                    // Other timers and histograms (gunicorn.backlog): the largest value tells most.
                    var peak = SeriesFor(_gauges, name, seriesKey, labels, number);
                    if (peak is null)
                    {
                        return;
                    }

                    peak.Value = peak.Samples == 0 ? sample.Value : Math.Max(peak.Value, sample.Value);
                    peak.Samples++;
                    peak.Unit = sample.Type == "ms" ? MetricUnit.Milliseconds : MetricUnit.Count;
                    peak.LastLine = number;
                    peak.Saw(time);
                    break;
            }
        }

        private void RequestDuration(StatsdDatagram sample, string key, Dictionary<string, string> labels, DateTimeOffset? time, long number)
        {
            if (sample.Value < 0 || sample.Value > 1e11)
            {
                Warn(number, $"the request duration {sample.Value.ToString(CultureInfo.InvariantCulture)} ms is out of range; skipped");
                return;
            }

            if (!_durations.TryGetValue(key, out var durations))
            {
                if (_durations.Count >= MaximumSeries)
                {
                    _dropped++;
                    return;
                }

                durations = new Durations(labels, number);
                _durations[key] = durations;
            }

            // A sampled timer stands for 1/rate requests, as statsd_exporter counts it.
            var repeat = Math.Clamp((int)(1 / sample.Rate), 1, MaximumRepeat);
            var duration = TimeSpan.FromMilliseconds(sample.Value);
            for (var i = 0; i < repeat; i++)
            {
                durations.Accumulator.Add(duration, time);
            }
        }

        private void StatusCount(string codeText, double increase, string key, Dictionary<string, string> labels, DateTimeOffset? time, long number)
        {
            if (!int.TryParse(codeText, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 100 or > 999)
            {
                Warn(number, $"'{Shorten(codeText)}' is not an HTTP status; not counted in the status summary");
                return;
            }

            if (!_traffic.TryGetValue(key, out var traffic))
            {
                if (_traffic.Count >= MaximumSeries)
                {
                    _dropped++;
                    return;
                }

                traffic = new Traffic(labels, number);
                _traffic[key] = traffic;
            }

            var count = double.IsFinite(increase) ? (long)Math.Round(increase) : 0;
            traffic.Statuses[code] = traffic.Statuses.GetValueOrDefault(code) + count;
            if (time is { } t)
            {
                for (var i = 0; i < Math.Clamp(count, 1, MaximumRepeat); i++)
                {
                    traffic.Timeline.Add(t);
                }
            }
        }

        private Series? SeriesFor(Dictionary<string, Series> all, string name, string key, Dictionary<string, string> labels, long number)
        {
            var full = name + "\0" + key;
            if (all.TryGetValue(full, out var series))
            {
                return series;
            }

            if (all.Count >= MaximumSeries)
            {
                _dropped++;
                return null;
            }

            series = new Series(name, labels, number);
            all[full] = series;
            return series;
        }

        /// <summary>Splits the configured prefix, or anything before <c>gunicorn.</c>, from a metric name.</summary>
        private (string Prefix, string Name) SplitPrefix(string name)
        {
            if (configuredPrefix is { } configured && name.StartsWith(configured, StringComparison.Ordinal) && name.Length > configured.Length)
            {
                return (configured[..^1], name[configured.Length..]);
            }

            if (name.StartsWith("gunicorn.", StringComparison.Ordinal))
            {
                return ("", name);
            }

            var at = name.IndexOf(".gunicorn.", StringComparison.Ordinal);
            return at > 0 ? (name[..at], name[(at + 1)..]) : ("", name);
        }

        private static Dictionary<string, string> Labels(string prefix, string? tags)
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (prefix.Length > 0)
            {
                labels["prefix"] = prefix;
            }

            if (tags is null)
            {
                return labels;
            }

            foreach (var tag in tags.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Take(MaximumTags))
            {
                var colon = tag.IndexOf(':', StringComparison.Ordinal);
                var key = colon < 0 ? tag : tag[..colon];
                var value = colon < 0 ? "" : tag[(colon + 1)..];
                labels[key] = SecretRedactor.Value(key, value);
            }

            return labels;
        }

        private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
    }
}
