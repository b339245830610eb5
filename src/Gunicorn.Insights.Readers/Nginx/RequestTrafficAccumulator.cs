using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Readers.Accumulation;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Nginx;

/// <summary>
/// Counts the requests of a front end's access log (nginx, a platform router) with bounded memory: all requests by
/// status with a per-minute timeline, and per path (query removed) for the first <see cref="MaximumTrackedPaths"/>
/// distinct paths; the <see cref="ReportedPaths"/> busiest become summaries of their own and the rest one
/// <see cref="OtherPath"/> summary.
/// </summary>
internal sealed class RequestTrafficAccumulator(string logger)
{
    /// <summary>Distinct paths counted individually; later new paths count under <see cref="OtherPath"/>.</summary>
    public const int MaximumTrackedPaths = 10_000;

    /// <summary>Paths reported with a summary of their own.</summary>
    public const int ReportedPaths = 200;

    /// <summary>The path of the summary that folds every other path.</summary>
    public const string OtherPath = "(other)";

    private const int MaximumPathLength = 256;

    private readonly Dictionary<string, Stats> _paths = new(StringComparer.Ordinal);
    private readonly Stats _all = new(0);
    private readonly Stats _untracked = new(0);
    private readonly TimelineAccumulator _timeline = new();

    /// <summary>How many requests were added.</summary>
    public long Requests => _all.Requests;

    /// <summary>Adds one request.</summary>
    public void Add(string? path, int status, DateTimeOffset? time, long line)
    {
        _all.Add(status, time, line);
        if (time is { } t)
        {
            _timeline.Add(t);
        }

        var key = path is null ? null : Normalize(path);
        if (key is null || key == OtherPath)
        {
            _untracked.Add(status, time, line);
            return;
        }

        if (!_paths.TryGetValue(key, out var stats))
        {
            if (_paths.Count >= MaximumTrackedPaths)
            {
                _untracked.Add(status, time, line);
                return;
            }

            stats = new Stats(line);
            _paths[key] = stats;
        }

        stats.Add(status, time, line);
    }

    /// <summary>Adds the summaries to <paramref name="context"/>: all requests first, then per path.</summary>
    public void Emit(ReadContext context)
    {
        if (_all.Requests == 0)
        {
            return;
        }

        context.Add(Summary(context, _all, null) with { Timeline = _timeline.ToTimeline() });
        var ordered = _paths.OrderByDescending(p => p.Value.Requests).ThenBy(p => p.Value.FirstLine).ToList();
        foreach (var (path, stats) in ordered.Take(ReportedPaths))
        {
            context.Add(Summary(context, stats, path));
        }

        var other = new Stats(_untracked.Requests > 0 ? _untracked.FirstLine : long.MaxValue);
        other.Merge(_untracked);
        foreach (var (_, stats) in ordered.Skip(ReportedPaths))
        {
            other.Merge(stats);
        }

        if (other.Requests > 0)
        {
            context.Add(Summary(context, other, OtherPath));
        }
    }

    /// <summary>
    /// The path of a request target without its query: <c>/report</c> for <c>/report?year=2026</c> and for
    /// <c>http://example.com/report</c>; null when it is no path (<c>*</c>, garbage).
    /// </summary>
    public static string? Normalize(string target)
    {
        var path = target.AsSpan();
        if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var start = path.IndexOf("://", StringComparison.Ordinal) + 3;
            var slash = path[start..].IndexOf('/');
            path = slash < 0 ? "/" : path[(start + slash)..];
        }

        var query = path.IndexOfAny('?', '#');
        if (query >= 0)
        {
            path = path[..query];
        }

        if (path.Length == 0 || path[0] != '/')
        {
            return null;
        }

        return path.Length > MaximumPathLength ? string.Concat(path[..MaximumPathLength], "…") : path.ToString();
    }

    /// <summary>The target of an HTTP request line (<c>GET /x HTTP/1.1</c> → <c>/x</c>), or null.</summary>
    public static string? TargetOf(string? requestLine)
    {
        if (requestLine is null)
        {
            return null;
        }

        var first = requestLine.IndexOf(' ', StringComparison.Ordinal);
        if (first < 0)
        {
            return null;
        }

        var last = requestLine.LastIndexOf(' ');
        return last > first ? requestLine[(first + 1)..last] : requestLine[(first + 1)..];
    }

    private TrafficSummary Summary(ReadContext context, Stats stats, string? path) =>
        new(stats.Requests, new Dictionary<int, long>(stats.Statuses), context.At(stats.FirstLine))
        {
            Path = path,
            Logger = logger,
            FirstSeen = stats.First,
            LastSeen = stats.Last,
            Timestamp = stats.First,
        };

    private sealed class Stats(long firstLine)
    {
        public long FirstLine { get; private set; } = firstLine;

        public long Requests { get; private set; }

        public SortedDictionary<int, long> Statuses { get; } = [];

        public DateTimeOffset? First { get; private set; }

        public DateTimeOffset? Last { get; private set; }

        public void Add(int status, DateTimeOffset? time, long line)
        {
            if (Requests == 0 && (FirstLine == 0 || line < FirstLine))
            {
                FirstLine = line;
            }

            Requests++;
            Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
            See(time, time);
        }

        public void Merge(Stats other)
        {
            if (other.Requests == 0)
            {
                return;
            }

            FirstLine = Math.Min(FirstLine, other.FirstLine);
            Requests += other.Requests;
            foreach (var (status, count) in other.Statuses)
            {
                Statuses[status] = Statuses.GetValueOrDefault(status) + count;
            }

            See(other.First, other.Last);
        }

        private void See(DateTimeOffset? first, DateTimeOffset? last)
        {
            if (first is { } f && (First is null || f < First))
            {
                First = f;
            }

            if (last is { } l && (Last is null || l > Last))
            {
                Last = l;
            }
        }
    }
}
