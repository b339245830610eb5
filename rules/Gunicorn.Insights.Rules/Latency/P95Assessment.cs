using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Metrics;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// GI3001's reading of an instance's request-duration histograms: the P95 of the latest window over all requests and
/// per path, against the limit, and whether the evidence suffices to say so.
/// </summary>
internal sealed class P95Assessment
{
    private const double P95 = 0.95;
    private const int PathsNamed = 3;

    private P95Assessment()
    {
    }

    /// <summary>True when the P95 (overall or of a path with enough requests) is above the limit.</summary>
    public bool Fires { get; private init; }

    /// <summary>True when the histograms hint at a P95 above the limit but cannot show it (too few requests, or buckets that end below the limit).</summary>
    public bool Inconclusive { get; private init; }

    private List<RequestDurationHistogram> Cited { get; init; } = [];

    private Quantile? Overall { get; init; }

    private long Requests { get; init; }

    private string Metric { get; init; } = "";

    private TimeSpan Limit { get; init; }

    private long MinimumRequests { get; init; }

    private List<PathP95> SlowPaths { get; init; } = [];

    private string PrecisionNote { get; init; } = "";

    private TimeSpan? HighestBound { get; init; }

    /// <summary>Reads the histograms of one instance.</summary>
    public static P95Assessment Of(IReadOnlyList<RequestDurationHistogram> histograms, TimeSpan limit, long minimumRequests)
    {
        var appSide = histograms.Where(h => !LatencyEvidence.IsProxySide(h)).ToList();
        var current = LatencyEvidence.OneFamily(LatencyEvidence.Latest(appSide.Count > 0 ? appSide : histograms));
        if (current.Count == 0)
        {
            return new P95Assessment();
        }

        var unlabelled = current.Where(h => LatencyEvidence.PathOf(h) is null).ToList();
        var overallSet = unlabelled.Count > 0 ? unlabelled : current;
        var overall = LatencyEvidence.Merge(overallSet);
        var p95 = LatencyEvidence.Estimate(overall, P95);
        var requests = LatencyEvidence.Requests(overall.Count);

        var paths = current
            .Where(h => LatencyEvidence.PathOf(h) is not null)
            .GroupBy(h => LatencyEvidence.PathOf(h)!, StringComparer.Ordinal)
            .Select(g => PathP95.Of(g.Key, g.ToList(), limit))
            .Where(p => p.P95 is { } q && q.Exceeds(limit))
            .ToList();
        // A single path is the whole traffic; naming it again adds nothing.
        var pathCount = current.Select(LatencyEvidence.PathOf).Where(p => p is not null).Distinct(StringComparer.Ordinal).Count();
        var slowPaths = paths.Where(p => p.Requests >= minimumRequests && (pathCount > 1 || unlabelled.Count > 0))
            .OrderByDescending(p => p.SlowRequests).ThenBy(p => p.Path, StringComparer.Ordinal)
            .Take(PathsNamed)
            .ToList();

        var overallExceeds = p95 is { } value && value.Exceeds(limit);
        var enough = requests >= minimumRequests;
        var fires = enough && (overallExceeds || slowPaths.Count > 0);
        var undecided = p95 is { } beyond && beyond.Undecided(limit);
        var inconclusive = !fires && requests > 0
            && ((!enough && (overallExceeds || undecided || paths.Count > 0)) || (enough && undecided));

        var bounds = LatencyEvidence.Bounds(overall);
        return new P95Assessment
        {
            Fires = fires,
            Inconclusive = inconclusive,
            Cited = CitedHistograms(unlabelled, current, slowPaths),
            Overall = p95,
            Requests = requests,
            Metric = LatencyEvidence.Describe(overallSet),
            Limit = limit,
            MinimumRequests = minimumRequests,
            SlowPaths = slowPaths,
            PrecisionNote = overallExceeds && p95 is { } estimate ? PrecisionNoteFor(estimate, bounds, limit) : "",
            HighestBound = bounds.Count > 0 ? bounds[^1] : null,
        };
    }

    /// <summary>The GI3001 finding.</summary>
    public Finding ToFinding() =>
        Finding
            .Of(Overall?.ToString() ?? "unknown", Requests, Metric, Limit, PathsText(), PrecisionNote)
            .Because(Cited);

    /// <summary>The GI0003 finding: what was seen and what would settle it.</summary>
    public Finding ToInconclusiveFinding()
    {
        var name = LatencyEvidence.Name(LatencyDescriptors.HighP95Latency);
        if (Requests < MinimumRequests)
        {
            return Finding
                .Of(name,
                    $"only {Requests} requests in {Metric} (P95 {Overall?.ToString() ?? "unknown"})",
                    $"at least {MinimumRequests} are needed for a stable P95: supply a longer window, or lower GI3001.min-requests")
                .Because(Cited);
        }

        return Finding
            .Of(name,
                $"the P95 over {Requests} requests in {Metric} lies beyond the highest bucket bound, {LatencyEvidence.Format(HighestBound ?? TimeSpan.Zero)}, which is below the {LatencyEvidence.Format(Limit)} limit",
                $"add buckets that reach past the limit, e.g. http_request_duration_seconds.buckets {LatencyEvidence.RecommendedBuckets}")
            .Because(Cited);
    }

    /// <summary>The series of all requests, else a few per-path series, plus the slow paths' series.</summary>
    private static List<RequestDurationHistogram> CitedHistograms(List<RequestDurationHistogram> unlabelled,
        IReadOnlyList<RequestDurationHistogram> current, List<PathP95> slowPaths)
    {
        var cited = unlabelled.Count > 0 ? new List<RequestDurationHistogram>(unlabelled)
            : slowPaths.Count > 0 ? [] : current.Take(PathsNamed).ToList();
        cited.AddRange(slowPaths.SelectMany(p => p.Histograms).Where(h => !cited.Contains(h)));
        return cited;
    }

    private string PathsText() =>
        SlowPaths.Count == 0
            ? ""
            : "; paths above the limit: " + string.Join(", ", SlowPaths.Select(p => $"{p.Path} P95 {p.P95} ({p.Requests} requests)"));

    /// <summary>
    /// Says so when the P95 was interpolated inside the bucket that holds the limit and that bucket is wider than the
    /// limit itself (e.g. 1 s to 5 s around 2 s): the true P95 may be anywhere in it.
    /// </summary>
    private static string PrecisionNoteFor(Quantile p95, IReadOnlyList<TimeSpan> bounds, TimeSpan limit)
    {
        if (p95.AboveHighestBound || bounds.Contains(limit))
        {
            return "";
        }

        var lower = bounds.Where(b => b < limit).DefaultIfEmpty(TimeSpan.Zero).Max();
        var upper = bounds.Where(b => b > limit).Cast<TimeSpan?>().FirstOrDefault();
        if (upper is not { } top || upper - lower <= limit || p95.Value <= lower || p95.Value > top)
        {
            return "";
        }

        return $"; the P95 is interpolated inside the {LatencyEvidence.Format(lower)} to {LatencyEvidence.Format(top)} bucket, "
            + $"too wide around the limit for a precise value: use buckets such as http_request_duration_seconds.buckets {LatencyEvidence.RecommendedBuckets}";
    }

    /// <summary>The P95 of one path in the latest window.</summary>
    private sealed record PathP95(string Path, IReadOnlyList<RequestDurationHistogram> Histograms, long Requests, Quantile? P95, double SlowRequests)
    {
        public static PathP95 Of(string path, IReadOnlyList<RequestDurationHistogram> histograms, TimeSpan limit)
        {
            var merged = LatencyEvidence.Merge(histograms);
            var slowShare = merged.FractionAbove(limit);
            return new PathP95(path, histograms, LatencyEvidence.Requests(merged.Count), LatencyEvidence.Estimate(merged, P95Assessment.P95),
                double.IsNaN(slowShare) ? 0 : merged.Count * slowShare);
        }
    }
}
