using System.Text;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Quantities;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Metrics;

/// <summary>
/// Reads a Prometheus text exposition (format 0.0.4) or OpenMetrics 1.0 text (a <c>/metrics</c> page saved with curl, a
/// node_exporter or statsd_exporter dump) into observations:
/// <list type="bullet">
/// <item><description>histograms of request durations (<c>http_request_duration_seconds</c>,
/// <c>gunicorn_request_duration_seconds</c>, <c>django_http_requests_latency_seconds_by_view_method</c>,
/// <c>*_duration_seconds</c>, <c>*_latency_seconds</c>, …) become one <see cref="RequestDurationHistogram"/> per label set
/// (labels other than <c>le</c> kept, a <c>handler</c>/<c>view</c>/<c>endpoint</c>/<c>route</c> label copied to
/// <c>path</c>, <c>_sum</c> as <see cref="RequestDurationHistogram.Sum"/>, bounds in seconds unless the name or
/// <c># UNIT</c> says milliseconds); other histograms and summaries are not reported;</description></item>
/// <item><description>counters become <see cref="Counter"/>s (OpenMetrics <c>_created</c> samples are skipped);</description></item>
/// <item><description>gauges become <see cref="Gauge"/>s with a unit from <c># UNIT</c> or the name's suffix;</description></item>
/// <item><description><c>node_memory_MemTotal_bytes</c> with <c>node_memory_MemAvailable_bytes</c> (and the swap pair)
/// of the same labels become one <see cref="MemoryUsage"/>;</description></item>
/// <item><description>untyped samples are counters when their name ends in <c>_total</c>, else gauges; untyped
/// <c>_bucket</c> samples with an <c>le</c> label are read as histogram buckets.</description></item>
/// </list>
/// Timestamps are milliseconds in text 0.0.4 and seconds in OpenMetrics (recognised by <c># EOF</c>, <c># UNIT</c>,
/// exemplars, an OpenMetrics-only type, or a fractional timestamp). Malformed lines, duplicate series, a second
/// <c># TYPE</c>, a histogram without <c>+Inf</c> bucket or with decreasing counts are reported with their line.
/// </summary>
/// <remarks>
/// Memory stays bounded: at most <see cref="MaximumSamples"/> counters and gauges, <see cref="MaximumHistograms"/>
/// histogram series of at most <see cref="MaximumBuckets"/> buckets each, and <see cref="MaximumTrackedSeries"/> series
/// checked for duplicates are kept; what goes beyond is counted and reported once.
/// </remarks>
public sealed class PrometheusExpositionReader : IArtifactReader
{
    /// <summary>The most counter and gauge samples kept per input.</summary>
    public const int MaximumSamples = 10_000;

    /// <summary>The most histogram series kept per input.</summary>
    public const int MaximumHistograms = 2_000;

    /// <summary>The most buckets kept per histogram series.</summary>
    public const int MaximumBuckets = 1_000;

    /// <summary>The most distinct series remembered to detect duplicates.</summary>
    public const int MaximumTrackedSeries = 100_000;

    private const int MaximumFamilies = 20_000;
    private const long MaximumTrackedCharacters = 16L * 1024 * 1024;
    private const int MaximumMemoryGroups = 100;

    private static readonly string[] FamilySuffixes = ["_bucket", "_sum", "_count", "_created", "_gcount", "_gsum", "_total", "_info"];

    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.PrometheusMetrics;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(head);
        var metadata = 0;
        var samples = 0;
        var labelled = 0;
        var other = 0;
        foreach (var raw in head)
        {
            var line = raw.Trim(' ', '\t', '\uFEFF');
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal)
                    || line.StartsWith("# UNIT ", StringComparison.Ordinal) || line == "# EOF")
                {
                    metadata++;
                }

                continue;
            }

            if (ExpositionLineParser.TryParse(line, out var sample, out _))
            {
                samples++;
                labelled += sample!.Labels.Count > 0 ? 1 : 0;
            }
            else
            {
                other++;
            }
        }

        var name = fileName.ToLowerInvariant();
        var named = name.EndsWith(".prom", StringComparison.Ordinal) || name.EndsWith(".om", StringComparison.Ordinal)
            || name.Contains(".om.", StringComparison.Ordinal) || name.Contains("metrics", StringComparison.Ordinal)
            || name.Contains("openmetrics", StringComparison.Ordinal) || name.Contains("exposition", StringComparison.Ordinal);
        if (metadata + samples == 0 || other > metadata + samples)
        {
            return 0;
        }

        // "maxclients 10000" is a sample too: without metadata, labels or a telling name, it is not metrics.
        if (metadata == 0 && labelled == 0 && !named)
        {
            return 0;
        }

        return Math.Min(100, 30 + metadata * 10 + samples * 3 + labelled * 2 + (named ? 20 : 0));
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var state = new State(context);
        source.ForEachLine(context, (bytes, number) => state.Line(context.Text(bytes, number), number));
        state.Finish();
    }

    private enum FamilyType
    {
        Untyped,
        Counter,
        Gauge,
        Histogram,
        GaugeHistogram,
        Summary,
        StateSet,
        Info,
    }

    private sealed class Family
    {
        public FamilyType? Type { get; set; }

        public string? Unit { get; set; }
    }

    private sealed record PendingSample(bool IsCounter, string Name, Dictionary<string, string> Labels, double Value, MetricUnit Unit,
        double? Timestamp, bool Fraction, long Line);

    private sealed class HistogramSeries(string family, List<KeyValuePair<string, string>> labels, long line)
    {
        public string Family { get; } = family;

        public List<KeyValuePair<string, string>> Labels { get; } = labels;

        public long Line { get; } = line;

        public List<HistogramBucket> Buckets { get; } = [];

        public double? Sum { get; set; }

        public double? Count { get; set; }

        public double? Timestamp { get; set; }

        public bool Fraction { get; set; }

        public bool TooManyBuckets { get; set; }
    }

    private sealed class MemoryGroup(Dictionary<string, string> labels)
    {
        public Dictionary<string, string> Labels { get; } = labels;

        public Dictionary<string, (double Value, long Line, double? Timestamp, bool Fraction)> Values { get; } = new(StringComparer.Ordinal);
    }

    private sealed class State(ReadContext context)
    {
        private const string MemTotal = "node_memory_MemTotal_bytes";
        private const string MemAvailable = "node_memory_MemAvailable_bytes";
        private const string SwapTotal = "node_memory_SwapTotal_bytes";
        private const string SwapFree = "node_memory_SwapFree_bytes";

        private readonly Dictionary<string, Family> _families = new(StringComparer.Ordinal);
        private readonly HashSet<string> _series = new(StringComparer.Ordinal);
        private readonly List<PendingSample> _pending = [];
        private readonly Dictionary<string, HistogramSeries> _histograms = new(StringComparer.Ordinal);
        private readonly Dictionary<string, MemoryGroup> _memory = new(StringComparer.Ordinal);
        private bool _openMetrics;
        private bool _sawEof;
        private bool _warnedAfterEof;
        private long _droppedSamples;
        private long _droppedHistograms;
        private long _droppedMemory;
        private long _seriesCharacters;

        /// <summary>Reports a problem; quoted input is masked for secrets first.</summary>
        private void Warn(long line, string message) => context.Warn(line, SecretRedactor.Redact(message));

        public void Line(string text, long number)
        {
            var line = number == 1 ? text.TrimStart('\uFEFF') : text;
            var trimmed = line.AsSpan().Trim(" \t");
            if (trimmed.IsEmpty)
            {
                return;
            }

            if (_sawEof && !_warnedAfterEof)
            {
                _warnedAfterEof = true;
                Warn(number, "text after '# EOF', which ends an OpenMetrics exposition; read anyway");
            }

            if (trimmed[0] == '#')
            {
                Comment(trimmed.ToString(), number);
                return;
            }

            if (!ExpositionLineParser.TryParse(line, out var sample, out var error))
            {
                Warn(number, $"not a metric sample: {error}; line skipped");
                return;
            }

            Sample(sample!, number);
        }

        public void Finish()
        {
            foreach (var pending in _pending)
            {
                var time = Time(pending.Timestamp, pending.Fraction, pending.Line);
                Observation observation = pending.IsCounter
                    ? new Counter(pending.Name, pending.Value, context.At(pending.Line)) { Labels = pending.Labels, Timestamp = time }
                    : new Gauge(pending.Name, pending.Value, pending.Unit, context.At(pending.Line)) { Labels = pending.Labels, Timestamp = time };
                context.Add(observation);
            }

            foreach (var series in _histograms.Values)
            {
                Histogram(series);
            }

            foreach (var group in _memory.Values)
            {
                Memory(group);
            }

            if (_droppedSamples > 0)
            {
                Warn(0, $"{_droppedSamples} counter and gauge samples beyond the first {MaximumSamples} were not kept");
            }

            if (_droppedHistograms > 0)
            {
                Warn(0, $"{_droppedHistograms} samples of histogram series beyond the first {MaximumHistograms} were not kept");
            }

            if (_droppedMemory > 0)
            {
                Warn(0, $"{_droppedMemory} node_memory samples beyond the first {MaximumMemoryGroups} label sets were not kept");
            }
        }

        private void Comment(string text, long number)
        {
            // "# HELP", "# TYPE", "# UNIT", "# EOF" need a blank after '#', as the Prometheus server's lexer does.
            if (text.Length < 2 || text[1] is not ' ' and not '\t')
            {
                return;
            }

            var words = text[1..].Split([' ', '\t'], 4, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                return;
            }

            switch (words[0])
            {
                case "EOF":
                    _sawEof = true;
                    _openMetrics = true;
                    break;
                case "TYPE":
                    if (words.Length < 3)
                    {
                        Warn(number, "a '# TYPE' line needs a metric name and a type; ignored");
                        return;
                    }

                    TypeLine(words[1], words[2], number);
                    break;
                case "UNIT":
                    _openMetrics = true;
                    if (words.Length >= 3 && FamilyOf(words[1]) is { } family)
                    {
                        family.Unit ??= words[2];
                    }

                    break;
            }
        }

        private void TypeLine(string name, string typeText, long number)
        {
            FamilyType? type = typeText.ToLowerInvariant() switch
            {
                "counter" => FamilyType.Counter,
                "gauge" => FamilyType.Gauge,
                "histogram" => FamilyType.Histogram,
                "gaugehistogram" => FamilyType.GaugeHistogram,
                "summary" => FamilyType.Summary,
                "untyped" or "unknown" => FamilyType.Untyped,
                "stateset" => FamilyType.StateSet,
                "info" => FamilyType.Info,
                _ => null,
            };
            if (type is null)
            {
                Warn(number, $"unknown metric type '{Shorten(typeText)}' for {Shorten(name)}; its samples are read as untyped");
                type = FamilyType.Untyped;
            }

            if (typeText is "unknown" or "gaugehistogram" or "stateset" or "info")
            {
                _openMetrics = true;
            }

            if (FamilyOf(name) is not { } family)
            {
                return;
            }

            if (family.Type is not null)
            {
                Warn(number, $"a second '# TYPE' line for {Shorten(name)}; the first is kept");
                return;
            }

            family.Type = type;
        }

        private Family? FamilyOf(string name)
        {
            if (_families.TryGetValue(name, out var family))
            {
                return family;
            }

            if (_families.Count >= MaximumFamilies)
            {
                return null;
            }

            family = new Family();
            _families[name] = family;
            return family;
        }

        private void Sample(ExpositionSample sample, long number)
        {
            var key = SeriesKey(sample.Name, sample.Labels);
            if (_series.Contains(key))
            {
                Warn(number, $"duplicate series {Shorten(key.Replace('\0', ' '))}; the first sample is kept");
                return;
            }

            if (_series.Count < MaximumTrackedSeries && _seriesCharacters + key.Length <= MaximumTrackedCharacters)
            {
                _series.Add(key);
                _seriesCharacters += key.Length;
            }

            _openMetrics |= sample.HasExemplar;
            if (IsCreatedOfAnotherFamily(sample.Name))
            {
                return;
            }

            var (familyName, type, suffix) = Resolve(sample);
            switch (type)
            {
                case FamilyType.Histogram or FamilyType.GaugeHistogram:
                    HistogramSample(familyName, suffix, sample, number);
                    break;
                case FamilyType.Counter:
                    if (suffix != "_created")
                    {
                        Pending(isCounter: true, sample, number, null);
                    }

                    break;
                case FamilyType.Gauge:
                    Plain(isCounter: false, sample, number, familyName);
                    break;
                case FamilyType.Untyped:
                    Plain(sample.Name.EndsWith("_total", StringComparison.Ordinal), sample, number, familyName);
                    break;
            }
        }

        /// <summary>
        /// True for <c>x_created</c> when <c>x</c> is a counter, histogram or summary: client_python writes the creation
        /// time as a gauge family of its own in text 0.0.4, which is not a measurement.
        /// </summary>
        private bool IsCreatedOfAnotherFamily(string name)
        {
            if (!name.EndsWith("_created", StringComparison.Ordinal))
            {
                return false;
            }

            var owner = name[..^8];
            return (_families.TryGetValue(owner, out var family)
                    && family.Type is FamilyType.Counter or FamilyType.Histogram or FamilyType.GaugeHistogram or FamilyType.Summary)
                || (_families.TryGetValue(owner + "_total", out var counter) && counter.Type is FamilyType.Counter);
        }

        /// <summary>The family a sample belongs to, its type and the suffix that joins them.</summary>
        private (string Family, FamilyType Type, string Suffix) Resolve(ExpositionSample sample)
        {
            var name = sample.Name;
            if (_families.TryGetValue(name, out var exact) && exact.Type is { } exactType
                && exactType is not (FamilyType.Histogram or FamilyType.GaugeHistogram or FamilyType.Summary))
            {
                return (name, exactType, "");
            }

            foreach (var suffix in FamilySuffixes)
            {
                if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal)
                    && _families.TryGetValue(name[..^suffix.Length], out var family) && family.Type is { } type)
                {
                    return (name[..^suffix.Length], type, suffix);
                }
            }

            if (exact?.Type is { } histogramType)
            {
                return (name, histogramType, "");
            }

            // Without a TYPE line: "_bucket" with "le" is a histogram, and so are its _sum/_count once buckets were seen.
            if (name.EndsWith("_bucket", StringComparison.Ordinal) && sample.Label("le") is not null)
            {
                return (name[..^7], FamilyType.Histogram, "_bucket");
            }

            foreach (var suffix in (string[])["_sum", "_count"])
            {
                if (name.EndsWith(suffix, StringComparison.Ordinal)
                    && _histograms.ContainsKey(SeriesKey(name[..^suffix.Length], sample.Labels)))
                {
                    return (name[..^suffix.Length], FamilyType.Histogram, suffix);
                }
            }

            return (name, FamilyType.Untyped, "");
        }

        private void Plain(bool isCounter, ExpositionSample sample, long number, string familyName)
        {
            if (!isCounter && sample.Name is MemTotal or MemAvailable or SwapTotal or SwapFree)
            {
                MemorySample(sample, number);
                return;
            }

            Pending(isCounter, sample, number, _families.TryGetValue(familyName, out var family) ? family.Unit : null);
        }

        private void Pending(bool isCounter, ExpositionSample sample, long number, string? declaredUnit)
        {
            if (_pending.Count >= MaximumSamples)
            {
                _droppedSamples++;
                return;
            }

            var unit = isCounter ? MetricUnit.Count : MetricNames.GaugeUnit(sample.Name, declaredUnit);
            _pending.Add(new PendingSample(isCounter, sample.Name, ToDictionary(sample.Labels), sample.Value, unit, sample.Timestamp,
                sample.TimestampHasFraction, number));
        }

        private void HistogramSample(string family, string suffix, ExpositionSample sample, long number)
        {
            if (suffix == "_created")
            {
                return;
            }

            if (suffix is not ("_bucket" or "_sum" or "_count" or "_gsum" or "_gcount"))
            {
                Warn(number, $"{Shorten(sample.Name)} belongs to the histogram {Shorten(family)} but is not a _bucket, _sum or _count sample; skipped");
                return;
            }

            var labels = sample.Labels.Where(l => l.Key != "le").ToList();
            var key = SeriesKey(family, labels);
            if (!_histograms.TryGetValue(key, out var series))
            {
                if (_histograms.Count >= MaximumHistograms)
                {
                    _droppedHistograms++;
                    return;
                }

                series = new HistogramSeries(family, labels, number) { Timestamp = sample.Timestamp, Fraction = sample.TimestampHasFraction };
                _histograms[key] = series;
            }

            switch (suffix)
            {
                case "_sum" or "_gsum":
                    series.Sum = sample.Value;
                    return;
                case "_count" or "_gcount":
                    series.Count = sample.Value;
                    return;
            }

            if (sample.Label("le") is not { } le)
            {
                Warn(number, $"{Shorten(sample.Name)} has no 'le' label; bucket skipped");
                return;
            }

            if (!PrometheusFloat.TryParse(le.Trim(), out var bound) || double.IsNaN(bound))
            {
                Warn(number, $"the bucket bound le=\"{Shorten(le)}\" of {Shorten(family)} is not a number; bucket skipped");
                return;
            }

            if (double.IsNaN(sample.Value))
            {
                Warn(number, $"the count of the bucket le=\"{Shorten(le)}\" of {Shorten(family)} is NaN; bucket skipped");
                return;
            }

            if (series.Buckets.Count >= MaximumBuckets)
            {
                if (!series.TooManyBuckets)
                {
                    series.TooManyBuckets = true;
                    Warn(number, $"{Shorten(family)} has more than {MaximumBuckets} buckets; the rest were skipped");
                }

                return;
            }

            series.Buckets.Add(new HistogramBucket(bound, sample.Value));
        }

        private void MemorySample(ExpositionSample sample, long number)
        {
            var key = SeriesKey("", sample.Labels);
            if (!_memory.TryGetValue(key, out var group))
            {
                if (_memory.Count >= MaximumMemoryGroups)
                {
                    _droppedMemory++;
                    return;
                }

                group = new MemoryGroup(ToDictionary(sample.Labels));
                _memory[key] = group;
            }

            group.Values[sample.Name] = (sample.Value, number, sample.Timestamp, sample.TimestampHasFraction);
        }

        private void Histogram(HistogramSeries series)
        {
            if (!MetricNames.IsRequestDuration(series.Family))
            {
                return;
            }

            var name = Describe(series.Family, series.Labels);
            if (series.Buckets.Count == 0)
            {
                Warn(series.Line, $"the histogram {name} has no buckets; skipped");
                return;
            }

            var sorted = series.Buckets.OrderBy(b => b.UpperBound).ToArray();
            if (!double.IsPositiveInfinity(sorted[^1].UpperBound))
            {
                Warn(series.Line, $"the histogram {name} has no le=\"+Inf\" bucket, so its total and percentiles are unknown "
                    + "(Prometheus' histogram_quantile gives NaN)");
            }

            for (var i = 1; i < sorted.Length; i++)
            {
                if (sorted[i].CumulativeCount < sorted[i - 1].CumulativeCount)
                {
                    Warn(series.Line, $"the bucket counts of {name} decrease at le=\"{PrometheusFloat.Format(sorted[i].UpperBound)}\" "
                        + $"({PrometheusFloat.Format(sorted[i - 1].CumulativeCount)} then {PrometheusFloat.Format(sorted[i].CumulativeCount)}); "
                        + "percentiles are computed as Prometheus does, with the counts raised to be monotonic");
                    break;
                }
            }

            var unit = MetricNames.DurationUnit(series.Family, _families.TryGetValue(series.Family, out var family) ? family.Unit : null);
            var histogram = new RequestDurationHistogram(series.Family, series.Buckets, unit, context.At(series.Line))
            {
                Labels = MetricNames.WithPath(series.Labels),
                Sum = series.Sum is { } sum ? MetricNames.ToTimeSpan(sum, unit) : null,
                Timestamp = Time(series.Timestamp, series.Fraction, series.Line),
            };
            if (series.Count is { } count && double.IsPositiveInfinity(sorted[^1].UpperBound) && count != histogram.Count)
            {
                Warn(series.Line, $"{name}: _count is {PrometheusFloat.Format(count)} but the +Inf bucket holds "
                    + $"{PrometheusFloat.Format(histogram.Count)}; the buckets are used");
            }

            context.Add(histogram);
        }

        private void Memory(MemoryGroup group)
        {
            var values = group.Values;
            if (values.TryGetValue(MemTotal, out var total) && values.TryGetValue(MemAvailable, out var available)
                && Bytes(total.Value) is { } totalBytes && Bytes(available.Value) is { } availableBytes)
            {
                var swapTotal = values.TryGetValue(SwapTotal, out var st) ? Bytes(st.Value) : null;
                var swapFree = values.TryGetValue(SwapFree, out var sf) ? Bytes(sf.Value) : null;
                var line = Math.Min(total.Line, available.Line);
                context.Add(new MemoryUsage(totalBytes, availableBytes, context.At(line))
                {
                    SwapTotal = swapTotal ?? ByteSize.Zero,
                    SwapUsed = swapTotal is { } swap && swapFree is { } free ? new ByteSize(Math.Max(0, swap.Bytes - free.Bytes)) : ByteSize.Zero,
                    Timestamp = Time(total.Timestamp, total.Fraction, total.Line),
                });
                return;
            }

            foreach (var (name, (value, line, timestamp, fraction)) in values)
            {
                context.Add(new Gauge(name, value, MetricUnit.Bytes, context.At(line))
                {
                    Labels = group.Labels,
                    Timestamp = Time(timestamp, fraction, line),
                });
            }
        }

        private DateTimeOffset? Time(double? raw, bool fraction, long line)
        {
            if (raw is not { } value)
            {
                return null;
            }

            // OpenMetrics timestamps are seconds, text 0.0.4 ones milliseconds.
            var milliseconds = _openMetrics || fraction ? value * 1000 : value;
            if (!double.IsFinite(milliseconds) || milliseconds < -62_135_596_800_000 || milliseconds > 253_402_300_799_999)
            {
                Warn(line, $"the timestamp {PrometheusFloat.Format(value)} is out of range; ignored");
                return null;
            }

            var time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(milliseconds));
            context.SawTimestamp(time);
            return time;
        }

        private static ByteSize? Bytes(double value) =>
            double.IsFinite(value) && value >= 0 && value < 9e18 ? new ByteSize((long)value) : null;

        private static Dictionary<string, string> ToDictionary(IEnumerable<KeyValuePair<string, string>> labels) => MetricNames.Masked(labels);

        private static string SeriesKey(string name, IEnumerable<KeyValuePair<string, string>> labels)
        {
            var builder = new StringBuilder(name);
            foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                builder.Append('\0').Append(key).Append("=\"").Append(value).Append('"');
            }

            return builder.ToString();
        }

        private static string Describe(string name, IEnumerable<KeyValuePair<string, string>> labels)
        {
            var text = name + "{" + string.Join(",", labels.Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
            return Shorten(text.EndsWith("{}", StringComparison.Ordinal) ? name : text);
        }

        private static string Shorten(string text) => text.Length > 120 ? text[..120] + "…" : text;
    }
}
