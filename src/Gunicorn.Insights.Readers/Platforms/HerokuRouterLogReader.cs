using System.Globalization;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Readers.Accumulation;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Nginx;

namespace Gunicorn.Insights.Readers.Platforms;

/// <summary>
/// Reads Heroku router lines (<c>2026-11-23T23:45:22.123456+00:00 heroku[router]: at=info method=GET path="/" host=…
/// request_id=… fwd="1.2.3.4" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 protocol=https</c>, as
/// <c>heroku logs</c> prints them, or as a syslog drain delivers them: <c>&lt;158&gt;1 2026-…+00:00 host heroku router - at=…</c>).
/// </summary>
/// <remarks>
/// Produces: a <see cref="LogSignatureKind.HerokuRequestTimeout"/> signature for <c>code=H12 desc="Request timeout"</c>
/// lines (with times and example lines, query secrets masked); a <see cref="Observations.Requests.TrafficSummary"/>
/// (logger <c>heroku-router</c>) of all requests and per path (the 200 busiest and <c>(other)</c>); a
/// <see cref="RequestDurationHistogram"/> <c>heroku_router_service_seconds</c> of the <c>service=</c> times of every router
/// line; a <see cref="Counter"/> <c>heroku_router_errors</c> per error code (labels <c>code</c> and <c>desc</c>: H10, H13,
/// H18, …); and <see cref="HostFacts"/> with the Heroku platform. Lines from the dynos (<c>app[web.1]:</c>, Gunicorn's
/// own output, read by the Gunicorn readers) and from Heroku's dyno manager (<c>heroku[web.1]:</c>) are passed over;
/// anything else is reported and skipped.
/// </remarks>
public sealed class HerokuRouterLogReader : IArtifactReader
{
    /// <summary>The metric name of the <c>service=</c> histogram.</summary>
    public const string ServiceTimeMetric = "heroku_router_service_seconds";

    /// <summary>The counter of router errors, labelled by <c>code</c> and <c>desc</c>.</summary>
    public const string ErrorsCounter = "heroku_router_errors";

    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.HerokuRouterLog;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(head);
        var router = 0;
        var other = 0;
        foreach (var line in head)
        {
            switch (Classify(line, out _, out _))
            {
                case Source.Router:
                    router++;
                    break;
                case Source.App or Source.Dyno or Source.Unknown:
                    other += line.Length > 0 ? 1 : 0;
                    break;
            }
        }

        if (router == 0)
        {
            return 0;
        }

        // Router-only files are certain; a mixed `heroku logs` output is mostly the app's (Gunicorn's) lines.
        return Math.Min(100, 40 + (int)Math.Round(60.0 * router / (router + other)) + (fileName.Contains("router", StringComparison.OrdinalIgnoreCase) ? 10 : 0));
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

    private enum Source
    {
        Unknown,
        Empty,
        Router,
        App,
        Dyno,
    }

    /// <summary>Which process wrote the line, its time, and where the router's fields start.</summary>
    private static Source Classify(string line, out DateTimeOffset? time, out int fields)
    {
        time = null;
        fields = 0;
        if (line.Length == 0)
        {
            return Source.Empty;
        }

        var text = line.AsSpan();
        if (text[0] == '<')
        {
            // Syslog drain: "<158>1 TIMESTAMP HOST APP PROC - message".
            var parts = new Range[7];
            var count = text.Split(parts, ' ', StringSplitOptions.RemoveEmptyEntries);
            if (count < 7 || !text[parts[0]].EndsWith(">1"))
            {
                return Source.Unknown;
            }

            time = ParseTime(text[parts[1]]);
            var app = text[parts[3]];
            var process = text[parts[4]];
            fields = parts[6].Start.GetOffset(text.Length);
            return app is "heroku" && process is "router" ? Source.Router
                : app is "heroku" ? Source.Dyno
                : app is "app" ? Source.App
                : Source.Unknown;
        }

        var space = text.IndexOf(' ');
        if (space > 0 && ParseTime(text[..space]) is { } stamp)
        {
            time = stamp;
            text = text[(space + 1)..];
        }

        var offset = line.Length - text.Length;
        if (text.StartsWith("heroku[router]: ", StringComparison.Ordinal))
        {
            fields = offset + 16;
            return Source.Router;
        }

        if (text.StartsWith("heroku/router: ", StringComparison.Ordinal))
        {
            fields = offset + 15;
            return Source.Router;
        }

        if (text.StartsWith("app[", StringComparison.Ordinal) || text.StartsWith("app/", StringComparison.Ordinal))
        {
            return Source.App;
        }

        return text.StartsWith("heroku[", StringComparison.Ordinal) || text.StartsWith("heroku/", StringComparison.Ordinal) ? Source.Dyno : Source.Unknown;
    }

    private static DateTimeOffset? ParseTime(ReadOnlySpan<char> text) =>
        text.Length >= 19 && text.Length <= 40 && char.IsAsciiDigit(text[0]) && text[4] == '-' && text[10] == 'T'
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    private sealed class State(ReadContext context)
    {
        private const int MaximumErrorCodes = 100;

        private readonly LogSignatureAccumulator _timeouts = new(LogSignatureKind.HerokuRequestTimeout);
        private readonly RequestTrafficAccumulator _traffic = new("heroku-router");
        private readonly DurationDistributionAccumulator _service = new();
        private readonly Dictionary<string, ErrorCount> _errors = new(StringComparer.Ordinal);
        private long _serviceLine;
        private long _firstRouterLine;
        private DateTimeOffset? _firstRouterTime;

        public void Line(string raw, long number)
        {
            var source = Classify(raw, out var time, out var fields);
            switch (source)
            {
                case Source.Empty or Source.App or Source.Dyno:
                    if (time is { } seen)
                    {
                        context.SawTimestamp(seen);
                    }

                    return;
                case Source.Unknown:
                    context.Warn(number, "not a Heroku log line (TIMESTAMP heroku[router]: at=… or a syslog drain line); skipped");
                    return;
            }

            if (time is { } t)
            {
                context.SawTimestamp(t);
            }

            if (_firstRouterLine == 0)
            {
                _firstRouterLine = number;
                _firstRouterTime = time;
            }

            Router(raw, raw.AsSpan(fields), number, time);
        }

        public void Finish()
        {
            if (_firstRouterLine == 0)
            {
                return;
            }

            context.Add(new HostFacts(context.At(_firstRouterLine)) { Platform = PlatformKind.Heroku, Timestamp = _firstRouterTime });
            _traffic.Emit(context);
            if (_service.ToHistogram(ServiceTimeMetric, context.At(_serviceLine), new Dictionary<string, string> { ["logger"] = "heroku-router" }) is { } histogram)
            {
                context.Add(histogram);
            }

            if (_timeouts.ToSignature() is { } signature)
            {
                context.Add(signature);
            }

            foreach (var (code, count) in _errors.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                context.Add(new Counter(ErrorsCounter, count.Count, context.At(count.FirstLine))
                {
                    Labels = new Dictionary<string, string> { ["code"] = code, ["desc"] = count.Description },
                    Timestamp = count.First,
                    Window = count.First is { } first && count.Last is { } last ? last - first : null,
                });
            }
        }

        private void Router(string raw, ReadOnlySpan<char> fields, long number, DateTimeOffset? time)
        {
            string? code = null;
            string? description = null;
            string? path = null;
            int? status = null;
            TimeSpan? service = null;
            if (fields.StartsWith("Error H", StringComparison.Ordinal))
            {
                // The router's wording before 2012: "Error H12 (Request timeout) -> GET host/path dyno=web.1 … status=503".
                var end = fields[6..].IndexOf(' ');
                code = (end < 0 ? fields[6..] : fields.Slice(6, end)).ToString();
                var open = fields.IndexOf('(');
                var close = fields.IndexOf(')');
                description = open > 0 && close > open + 1 && close - open < 100 ? fields[(open + 1)..close].ToString() : null;
            }

            var i = 0;
            for (var guard = 0; guard < 128 && i < fields.Length; guard++)
            {
                while (i < fields.Length && fields[i] == ' ')
                {
                    i++;
                }

                var equals = fields[i..].IndexOf('=');
                if (equals < 0)
                {
                    break;
                }

                var space = fields[i..].IndexOf(' ');
                if (equals == 0 || (space >= 0 && space < equals))
                {
                    // A word that is no key=value pair.
                    i = space < 0 ? fields.Length : i + space + 1;
                    continue;
                }

                var key = fields.Slice(i, equals);

                var start = i + equals + 1;
                ReadOnlySpan<char> value;
                if (start < fields.Length && fields[start] == '"')
                {
                    var close = fields[(start + 1)..].IndexOf('"');
                    value = close < 0 ? fields[(start + 1)..] : fields.Slice(start + 1, close);
                    i = close < 0 ? fields.Length : start + close + 2;
                }
                else
                {
                    var end = fields[start..].IndexOf(' ');
                    value = end < 0 ? fields[start..] : fields.Slice(start, end);
                    i = end < 0 ? fields.Length : start + end;
                }

                switch (key)
                {
                    case "code":
                        code = value.Length is > 0 and <= 8 ? value.ToString() : null;
                        break;
                    case "desc":
                        description = value.Length > 100 ? value[..100].ToString() : value.ToString();
                        break;
                    case "path":
                        path = value.ToString();
                        break;
                    case "status":
                        status = value.Length == 3 && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 100 ? parsed : null;
                        break;
                    case "service":
                        service = Milliseconds(value);
                        break;
                }
            }

            if (status is null && code is null)
            {
                context.Warn(number, "a Heroku router line without the key=value fields status= or code=; skipped");
                return;
            }

            if (status is { } requestStatus)
            {
                _traffic.Add(path, requestStatus, time, number);
            }

            if (service is { } serviceTime)
            {
                if (_service.Count == 0)
                {
                    _serviceLine = number;
                }

                _service.Add(serviceTime, time);
            }

            if (code is null)
            {
                return;
            }

            if (code == "H12")
            {
                _timeouts.Add(context.At(number), SecretRedactor.Redact(raw), time, pid: null);
            }

            if (!_errors.TryGetValue(code, out var count))
            {
                if (_errors.Count >= MaximumErrorCodes)
                {
                    return;
                }

                count = new ErrorCount(number, description ?? "");
                _errors[code] = count;
            }

            count.See(time);
        }

        /// <summary>Reads <c>30000ms</c>; null for an empty or unknown value.</summary>
        private static TimeSpan? Milliseconds(ReadOnlySpan<char> value)
        {
            if (!value.EndsWith("ms", StringComparison.Ordinal)
                || !double.TryParse(value[..^2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var milliseconds)
                || !double.IsFinite(milliseconds) || milliseconds > 86_400_000)
            {
                return null;
            }

            return NginxValues.Seconds(milliseconds / 1000);
        }
    }

    private sealed class ErrorCount(long firstLine, string description)
    {
        public long FirstLine { get; } = firstLine;

        public string Description { get; } = description;

        public long Count { get; private set; }

        public DateTimeOffset? First { get; private set; }

        public DateTimeOffset? Last { get; private set; }

        public void See(DateTimeOffset? time)
        {
            Count++;
            if (time is not { } t)
            {
                return;
            }

            if (First is null || t < First)
            {
                First = t;
            }

            if (Last is null || t > Last)
            {
                Last = t;
            }
        }
    }
}
