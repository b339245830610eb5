using System.Globalization;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>What GI1004 concluded from an instance's request-duration histograms.</summary>
internal enum NearTimeoutVerdict
{
    /// <summary>No histogram with observations: nothing to say.</summary>
    NoEvidence,

    /// <summary>Histograms exist, but none has enough requests or buckets fine enough to conclude.</summary>
    Insufficient,

    /// <summary>At least one histogram concluded, and none shows requests clustering at the timeout.</summary>
    Clear,

    /// <summary>A histogram shows a share of requests at or near the timeout.</summary>
    Clustered,
}

/// <summary>
/// GI1004's reading of the request-duration histograms of one instance: which share of the requests took longer than
/// the start of the band just under the worker timeout (20 s of a 30 s timeout by default).
/// </summary>
internal sealed class NearTimeoutDurations
{
    private NearTimeoutDurations(NearTimeoutVerdict verdict, TimeSpan bandStart)
    {
        Verdict = verdict;
        BandStart = bandStart;
    }

    /// <summary>The verdict.</summary>
    public NearTimeoutVerdict Verdict { get; private init; }

    /// <summary>Where the band close to the timeout starts.</summary>
    public TimeSpan BandStart { get; }

    /// <summary>The histogram that shows the cluster (or, when insufficient, the one that came closest).</summary>
    public RequestDurationHistogram? Histogram { get; private init; }

    /// <summary>The requests that histogram counts.</summary>
    public long Requests { get; private init; }

    /// <summary>The requests it counts as slower than <see cref="BandStart"/>.</summary>
    public long Slow { get; private init; }

    /// <summary>Their share.</summary>
    public Percentage Share { get; private init; }

    /// <summary>For an insufficient verdict: what was seen.</summary>
    public string Seen { get; private init; } = "";

    /// <summary>For an insufficient verdict: what would settle it.</summary>
    public string Needed { get; private init; } = "";

    /// <summary>The path clause of the message, <c> to /reports</c>, or empty for all requests.</summary>
    public string PathClause => Histogram is not null && RequestDurations.PathOf(Histogram) is { } path ? $" to {path}" : "";

    /// <summary>The P99 of the histogram, as text.</summary>
    public string P99 => Histogram is null ? "P99 unknown" : RequestDurations.P99Text(Histogram);

    /// <summary>Reads <paramref name="histograms"/> against <paramref name="timeout"/> with the rule's parameters.</summary>
    public static NearTimeoutDurations Assess(IReadOnlyList<RequestDurationHistogram> histograms, TimeSpan timeout, double ratio,
        double minimumShare, long minimumRequests)
    {
        var bandStart = TimeSpan.FromSeconds(Math.Round(timeout.TotalSeconds * Math.Clamp(ratio, 0, 1)));
        var usable = histograms.Where(RequestDurations.IsUsable).ToArray();
        if (usable.Length == 0 || timeout <= TimeSpan.Zero)
        {
            return new NearTimeoutDurations(NearTimeoutVerdict.NoEvidence, bandStart);
        }

        NearTimeoutDurations? clustered = null;
        var concluded = false;
        RequestDurationHistogram? tooFew = null;
        RequestDurationHistogram? tooCoarse = null;
        foreach (var histogram in usable)
        {
            var share = histogram.FractionAbove(bandStart);
            if (histogram.Count < minimumRequests)
            {
                tooFew = tooFew is null || histogram.Count > tooFew.Count ? histogram : tooFew;
                continue;
            }

            // Past the highest finite bucket the share is an upper estimate: observations there may be just above the bucket.
            if (!RequestDurations.Resolves(histogram, bandStart) && share >= minimumShare)
            {
                tooCoarse ??= histogram;
                continue;
            }

            concluded = true;
            var slow = RequestDurations.CountAbove(histogram, bandStart);
            if (share >= minimumShare && (clustered is null || slow > clustered.Slow))
            {
                clustered = new NearTimeoutDurations(NearTimeoutVerdict.Clustered, bandStart)
                {
                    Histogram = histogram,
                    Requests = (long)Math.Round(histogram.Count),
                    Slow = slow,
                    Share = Percentage.FromRatio(share),
                };
            }
        }

        if (clustered is not null)
        {
            return clustered;
        }

        if (concluded)
        {
            return new NearTimeoutDurations(NearTimeoutVerdict.Clear, bandStart);
        }

        var band = DiagnosisMessage.FormatValue(bandStart);
        var limit = DiagnosisMessage.FormatValue(timeout);
        if (tooCoarse is not null)
        {
            var bound = DiagnosisMessage.FormatValue(RequestDurations.HighestFiniteBound(tooCoarse));
            return new NearTimeoutDurations(NearTimeoutVerdict.Insufficient, bandStart)
            {
                Histogram = tooCoarse,
                Requests = (long)Math.Round(tooCoarse.Count),
                Seen = string.Create(CultureInfo.InvariantCulture,
                    $"the request-duration histogram ({tooCoarse.Count:0} requests) ends at a {bound} bucket, so it cannot tell whether its {RequestDurations.CountAbove(tooCoarse, bandStart)} requests slower than that took {band} to {limit} or less"),
                Needed = $"supply a histogram with buckets up to and beyond the {limit} timeout (e.g. {band}, {limit} and twice that), or the access log with rt=%(L)s",
            };
        }

        var few = tooFew!;
        return new NearTimeoutDurations(NearTimeoutVerdict.Insufficient, bandStart)
        {
            Histogram = few,
            Requests = (long)Math.Round(few.Count),
            Seen = string.Create(CultureInfo.InvariantCulture,
                $"the request-duration histogram holds only {few.Count:0} request(s), fewer than the {minimumRequests} needed to tell a share of requests near the {limit} timeout from chance"),
            Needed = string.Create(CultureInfo.InvariantCulture,
                $"supply a histogram (or access log with rt=%(L)s) covering at least {minimumRequests} requests, e.g. a longer window"),
        };
    }
}
