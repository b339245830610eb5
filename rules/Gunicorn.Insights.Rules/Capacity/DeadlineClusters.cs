using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Quantities;
using Gunicorn.Insights.Rules.WorkerLifecycle;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>A deadline that ends requests: the proxy's read timeout or Gunicorn's worker timeout, with where it was set.</summary>
/// <param name="Value">The deadline.</param>
/// <param name="Name">How a message names it, e.g. <c>nginx proxy_read_timeout</c>.</param>
/// <param name="Sources">The parameters that set it (none for an assumed default).</param>
internal sealed record Deadline(TimeSpan Value, string Name, IReadOnlyList<ConfigParameter> Sources);

/// <summary>Requests of one histogram that ended in a narrow window around a deadline.</summary>
/// <param name="Histogram">The histogram read.</param>
/// <param name="Deadline">The deadline they ended at.</param>
/// <param name="AtDeadline">How many requests fell into the window.</param>
/// <param name="From">The window's lower bucket bound.</param>
/// <param name="To">The window's upper bucket bound.</param>
internal sealed record DeadlineCluster(RequestDurationHistogram Histogram, Deadline Deadline, double AtDeadline, TimeSpan From, TimeSpan To)
{
    /// <summary>The share of all the histogram's requests that fell into the window.</summary>
    public Percentage Share => Percentage.FromRatio(AtDeadline / Histogram.Count);
}

/// <summary>
/// Requests that may have ended at a deadline, but whose histogram has no bucket bounds close enough to the deadline
/// to tell.
/// </summary>
/// <param name="Histogram">The histogram read.</param>
/// <param name="Deadline">The deadline.</param>
/// <param name="Slower">How many requests were slower than <paramref name="Bound"/>.</param>
/// <param name="Bound">The highest bucket bound below the deadline.</param>
internal sealed record UnresolvedDeadline(RequestDurationHistogram Histogram, Deadline Deadline, double Slower, TimeSpan Bound);

/// <summary>
/// What the request-duration histograms of an instance say about requests ending exactly at a deadline (GI2001):
/// a cluster, a histogram too coarse to tell, or too few requests.
/// </summary>
internal sealed class DeadlineClusters
{
    private DeadlineClusters(DeadlineCluster? cluster, UnresolvedDeadline? unresolved, RequestDurationHistogram? tooFew)
    {
        Cluster = cluster;
        Unresolved = unresolved;
        TooFew = tooFew;
    }

    /// <summary>The strongest cluster at a deadline, if any histogram shows one.</summary>
    public DeadlineCluster? Cluster { get; }

    /// <summary>
    /// A histogram with many requests slower than it can resolve around a deadline; only when no histogram resolves any
    /// deadline (one that does and shows no cluster settles the question).
    /// </summary>
    public UnresolvedDeadline? Unresolved { get; }

    /// <summary>The largest histogram when even it has fewer requests than the rule needs (only without a cluster).</summary>
    public RequestDurationHistogram? TooFew { get; }

    /// <summary>The deadlines requests of <paramref name="configuration"/>'s instance can run into.</summary>
    public static IReadOnlyList<Deadline> Of(GunicornConfiguration configuration, IReadOnlyList<ConfigParameter> proxyReadTimeouts, TimeSpan proxyDefault)
    {
        var configured = proxyReadTimeouts.Select(p => (Parameter: p, Value: NginxTime(p.Value))).LastOrDefault(p => p.Value is not null);
        var proxy = configured.Value is { } value
            ? new Deadline(value, "nginx proxy_read_timeout", [configured.Parameter])
            : new Deadline(proxyDefault, "nginx default proxy_read_timeout", []);
        if (configuration.TimeoutDisabled)
        {
            return [proxy];
        }

        var setting = configuration[GunicornSettingCatalog.Timeout.Name];
        var name = setting.IsDefault ? "Gunicorn's default worker timeout" : "Gunicorn worker timeout";
        return configuration.Timeout == proxy.Value
            ? [new Deadline(proxy.Value, $"{proxy.Name} and the {name}", [.. proxy.Sources, setting])]
            : [proxy, new Deadline(configuration.Timeout, name, [setting])];
    }

    /// <summary>True for an nginx <c>proxy_read_timeout</c> directive.</summary>
    public static bool IsProxyReadTimeout(ConfigParameter parameter) =>
        parameter.Scope == ConfigurationScope.Nginx && parameter.Name == "proxy_read_timeout";

    /// <summary>Reads the histograms against the deadlines with GI2001's parameters.</summary>
    public static DeadlineClusters Find(IReadOnlyList<RequestDurationHistogram> histograms, IReadOnlyList<Deadline> deadlines, RuleParameters parameters)
    {
        var descriptor = CapacityDescriptors.PoolExhaustionDeadlineHang;
        var minRequests = parameters.Integer(descriptor, "min-requests");
        var minShare = parameters.Number(descriptor, "min-share") / 100;
        var tolerance = parameters.Duration(descriptor, "deadline-tolerance");
        var maxWindow = parameters.Duration(descriptor, "max-window");
        var spikeFactor = parameters.Number(descriptor, "spike-factor");

        DeadlineCluster? best = null;
        UnresolvedDeadline? unresolved = null;
        var anyResolved = false;
        foreach (var histogram in histograms.Where(h => h.Count >= minRequests && h.Count > 0))
        {
            foreach (var deadline in deadlines)
            {
                var window = Window(histogram, deadline.Value, tolerance);
                if (window is not { } w || w.To - w.From > maxWindow)
                {
                    var bound = HighestBoundAtOrBelow(histogram, deadline.Value - tolerance);
                    var slower = histogram.Count * histogram.FractionAbove(bound);
                    if (bound > TimeSpan.Zero && slower / histogram.Count >= minShare && (unresolved is null || slower > unresolved.Slower))
                    {
                        unresolved = new UnresolvedDeadline(histogram, deadline, slower, bound);
                    }

                    continue;
                }

                anyResolved = true;
                var atDeadline = Cumulative(histogram, w.To) - Cumulative(histogram, w.From);
                var width = w.To - w.From;
                var belowFrom = w.From - width < TimeSpan.Zero ? TimeSpan.Zero : w.From - width;
                var justBelow = histogram.Count * (histogram.FractionAbove(belowFrom) - histogram.FractionAbove(w.From));
                if (atDeadline > 0 && atDeadline / histogram.Count >= minShare && atDeadline >= spikeFactor * justBelow
                    && (best is null || atDeadline > best.AtDeadline))
                {
                    best = new DeadlineCluster(histogram, deadline, atDeadline, w.From, w.To);
                }
            }
        }

        var largest = CapacityFacts.Largest(histograms);
        return best is not null
            ? new DeadlineClusters(best, null, null)
            : new DeadlineClusters(null, anyResolved ? null : unresolved, largest is not null && largest.Count < minRequests ? largest : null);
    }

    /// <summary>Reads an nginx time (<c>60</c>, <c>60s</c>, <c>1m</c>, <c>500ms</c>) or a typed duration.</summary>
    public static TimeSpan? NginxTime(SettingValue value)
    {
        if (value.TryGetDuration(out var duration))
        {
            return duration;
        }

        if (value.TryGetInteger(out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        var text = value.Text.Trim();
        var (number, scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ when text.EndsWith('h') => (text[..^1], 3600.0),
            _ => (text, 1.0),
        };
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0
            ? TimeSpan.FromSeconds(parsed * scale)
            : null;
    }

    /// <summary>
    /// The narrowest window whose counts the histogram knows that holds the deadline with <paramref name="tolerance"/>
    /// on each side: from deadline − tolerance when the count there is exact (an empty stretch of a histogram built
    /// from a log), else the highest bound below it (0 when there is none), to deadline + tolerance when the count
    /// there is exact (nothing beyond the highest finite bound), else the lowest finite bound above it; null when
    /// neither reaches that high.
    /// </summary>
    private static (TimeSpan From, TimeSpan To)? Window(RequestDurationHistogram histogram, TimeSpan deadline, TimeSpan tolerance)
    {
        var low = deadline - tolerance;
        var high = deadline + tolerance;
        var from = low > TimeSpan.Zero && RequestDurations.IsExactAt(histogram, low) ? low : HighestBoundAtOrBelow(histogram, low);
        if (RequestDurations.IsExactAt(histogram, high))
        {
            return (from, high);
        }

        var (first, end) = FiniteRange(histogram);
        var above = FirstAbove(histogram, first, end, high, orEqual: true);
        var upper = above == end ? TimeSpan.MaxValue : ToDuration(histogram, histogram.Buckets[above].UpperBound);
        return upper == TimeSpan.MaxValue ? null : (from, upper);
    }

    // The buckets are sorted by bound and a bound's duration grows with it, so the searches below are binary; they
    // run for every histogram and deadline of every evaluation, over histograms with a bucket per distinct duration.
    private static TimeSpan HighestBoundAtOrBelow(RequestDurationHistogram histogram, TimeSpan limit)
    {
        var (first, end) = FiniteRange(histogram);
        var last = FirstAbove(histogram, first, end, limit, orEqual: false) - 1;
        return last >= first && ToDuration(histogram, histogram.Buckets[last].UpperBound) is var bound && bound > TimeSpan.Zero
            ? bound
            : TimeSpan.Zero;
    }

    private static double Cumulative(RequestDurationHistogram histogram, TimeSpan bound)
    {
        var (first, end) = FiniteRange(histogram);
        var stop = FirstAbove(histogram, first, end, bound, orEqual: false);
        var highest = 0.0;
        for (var i = first; i < stop; i++)
        {
            // As Enumerable.Max: a NaN count is passed over unless every count is NaN.
            var count = histogram.Buckets[i].CumulativeCount;
            if (i == first || double.IsNaN(highest) || count > highest)
            {
                highest = count;
            }
        }

        return highest;
    }

    /// <summary>The positions of the finite buckets: after any <c>-Inf</c> one, before any <c>+Inf</c> one.</summary>
    private static (int First, int End) FiniteRange(RequestDurationHistogram histogram)
    {
        var buckets = histogram.Buckets;
        var first = 0;
        while (first < buckets.Count && double.IsNegativeInfinity(buckets[first].UpperBound))
        {
            first++;
        }

        var end = buckets.Count;
        while (end > first && double.IsPositiveInfinity(buckets[end - 1].UpperBound))
        {
            end--;
        }

        return (first, end);
    }

    /// <summary>The first finite bucket whose duration is above <paramref name="limit"/> (or at it), else <paramref name="end"/>.</summary>
    private static int FirstAbove(RequestDurationHistogram histogram, int first, int end, TimeSpan limit, bool orEqual)
    {
        int low = first, high = end;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            var duration = ToDuration(histogram, histogram.Buckets[middle].UpperBound);
            if (duration > limit || (orEqual && duration == limit))
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    private static TimeSpan ToDuration(RequestDurationHistogram histogram, double bound) =>
        TimeSpan.FromTicks((long)Math.Round(bound * histogram.BucketUnit.Ticks));
}
