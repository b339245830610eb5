using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Metrics;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// GI3002's reading of an instance's request-duration histograms over time: per series (metric and path), the earliest
/// window is the baseline and the latest the current state; a P50 or P95 at least <c>factor</c> times the baseline's,
/// and at least <c>min-increase</c> above it, is a rise.
/// </summary>
internal sealed class DurationRiseAssessment
{
    private const int OthersNamed = 3;

    private DurationRiseAssessment()
    {
    }

    /// <summary>True when a series with enough requests in both windows rose.</summary>
    public bool Fires => Worst is not null;

    /// <summary>True when only series with too few requests in a window rose.</summary>
    public bool Inconclusive { get; private init; }

    private Comparison? Worst { get; init; }

    private List<Comparison> Others { get; init; } = [];

    private List<Comparison> TooSmall { get; init; } = [];

    private long MinimumRequests { get; init; }

    /// <summary>Compares the windows of every series of one instance.</summary>
    public static DurationRiseAssessment Of(IReadOnlyList<RequestDurationHistogram> histograms, double factor, TimeSpan minimumIncrease,
        long minimumRequests)
    {
        var rises = histograms
            .Where(h => h.Timestamp is not null && h.Count > 0)
            .GroupBy(h => (h.MetricName, Path: LatencyEvidence.PathOf(h) ?? ""))
            .Select(series => Compare(series.Key.MetricName, series.Key.Path, series.ToList(), factor, minimumIncrease))
            .OfType<Comparison>()
            .ToList();
        var sufficient = rises.Where(r => r.Baseline.Count >= minimumRequests && r.Current.Count >= minimumRequests)
            .OrderByDescending(r => r.Increase).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        var tooSmall = rises.Where(r => !sufficient.Contains(r)).ToList();
        return new DurationRiseAssessment
        {
            Worst = sufficient.Count > 0 ? sufficient[0] : null,
            Others = [.. sufficient.Skip(1)],
            TooSmall = tooSmall,
            Inconclusive = sufficient.Count == 0 && tooSmall.Count > 0,
            MinimumRequests = minimumRequests,
        };
    }

    /// <summary>The GI3002 finding for the series that rose most.</summary>
    public Finding ToFinding()
    {
        var worst = Worst!;
        var others = Others.Count == 0
            ? ""
            : "; also rose: " + string.Join(", ", Others.Take(OthersNamed).Select(o => $"{o.Label} (P95 {o.BaselineP95} → {o.CurrentP95})"))
                + (Others.Count > OthersNamed ? $" and {Others.Count - OthersNamed} more" : "");
        return Finding
            .Of(worst.Name, worst.BaselineP95, worst.CurrentP95, worst.BaselineP50, worst.CurrentP50, worst.RatioText,
                Window(worst.Baseline), worst.Baseline.Requests, Window(worst.Current), worst.Current.Requests, others)
            .Because(worst.Baseline.Histograms, worst.Current.Histograms, Others.Take(OthersNamed).Select(o => o.Current.Histograms));
    }

    /// <summary>The GI0003 finding: a rise seen in windows with too few requests.</summary>
    public Finding ToInconclusiveFinding()
    {
        var rise = TooSmall[0];
        return Finding
            .Of(LatencyEvidence.Name(LatencyDescriptors.RequestDurationRise),
                $"{rise.Name} rose (P95 {rise.BaselineP95} → {rise.CurrentP95}, P50 {rise.BaselineP50} → {rise.CurrentP50}) but the windows hold only {rise.Baseline.Requests} and {rise.Current.Requests} requests",
                $"each window needs at least {MinimumRequests} requests: compare longer windows, or lower GI3002.min-requests")
            .Because(rise.Baseline.Histograms, rise.Current.Histograms);
    }

    private static string Window(Snapshot snapshot) =>
        snapshot.Merged.Window is { } span
            ? $"the {LatencyEvidence.FormatSpan(span)} ending {LatencyEvidence.FormatMoment(snapshot.End)}"
            : $"the window ending {LatencyEvidence.FormatMoment(snapshot.End)}";

    private static Comparison? Compare(string metric, string path, List<RequestDurationHistogram> series, double factor, TimeSpan minimumIncrease)
    {
        var windows = series.GroupBy(h => h.Timestamp!.Value).OrderBy(w => w.Key).ToList();
        if (windows.Count < 2)
        {
            // One window has nothing to compare with.
            return null;
        }

        var baseline = Snapshot.Of(windows[0].Key, windows[0].ToList());
        var current = Snapshot.Of(windows[^1].Key, windows[^1].ToList());
        var p50 = Rise(baseline.P50, current.P50, factor, minimumIncrease);
        var p95 = Rise(baseline.P95, current.P95, factor, minimumIncrease);
        if (p50 is null && p95 is null)
        {
            return null;
        }

        var name = path.Length > 0 ? $"Request duration of {path} ({metric})" : $"Request duration ({metric})";
        var label = path.Length > 0 ? path : metric;
        var ratio = Math.Max(p50?.Ratio ?? 0, p95?.Ratio ?? 0);
        var lowerLimit = (p95 is { } r95 && r95.Ratio >= ratio && current.P95!.Value.AboveHighestBound)
            || (p50 is { } r50 && r50.Ratio >= ratio && current.P50!.Value.AboveHighestBound);
        var ratioText = double.IsPositiveInfinity(ratio) ? "more than 1000" : DiagnosisMessage.FormatValue(Math.Round(ratio, 2));
        return new Comparison(name, label, baseline, current, lowerLimit ? "at least " + ratioText : ratioText,
            Math.Max(p50?.Increase.Ticks ?? 0, p95?.Increase.Ticks ?? 0));
    }

    /// <summary>A rise of one percentile, or null; a baseline beyond its highest bound has no value to compare with.</summary>
    private static (double Ratio, TimeSpan Increase)? Rise(Quantile? before, Quantile? after, double factor, TimeSpan minimumIncrease)
    {
        if (before is not { AboveHighestBound: false } baseline || after is not { } current)
        {
            return null;
        }

        var increase = current.Value - baseline.Value;
        var ratio = baseline.Value > TimeSpan.Zero ? current.Value / baseline.Value : double.PositiveInfinity;
        return increase >= minimumIncrease && ratio >= factor ? (ratio, increase) : null;
    }

    /// <summary>One window of one series: its histograms added up.</summary>
    private sealed record Snapshot(DateTimeOffset End, IReadOnlyList<RequestDurationHistogram> Histograms, RequestDurationHistogram Merged)
    {
        public double Count => Merged.Count;

        public long Requests => LatencyEvidence.Requests(Merged.Count);

        public Quantile? P50 => LatencyEvidence.Estimate(Merged, 0.5);

        public Quantile? P95 => LatencyEvidence.Estimate(Merged, 0.95);

        public static Snapshot Of(DateTimeOffset end, IReadOnlyList<RequestDurationHistogram> histograms) =>
            new(end, histograms, LatencyEvidence.Merge(histograms));
    }

    /// <summary>A series whose current window rose against its baseline.</summary>
    private sealed record Comparison(string Name, string Label, Snapshot Baseline, Snapshot Current, string RatioText, long Increase)
    {
        public string BaselineP50 => Baseline.P50?.ToString() ?? "unknown";

        public string CurrentP50 => Current.P50?.ToString() ?? "unknown";

        public string BaselineP95 => Baseline.P95?.ToString() ?? "unknown";

        public string CurrentP95 => Current.P95?.ToString() ?? "unknown";
    }
}
