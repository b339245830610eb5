using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// GI3003's reading of one instance: latency measured by Gunicorn (which starts after accept()) next to evidence of
/// queueing in front of it, either a saturated worker pool with no proxy-side timing, or a proxy-side P95 that exceeds
/// Gunicorn's by more than <c>margin</c>.
/// </summary>
internal sealed class QueueTimeAssessment
{
    private static readonly string[] TimeAtoms = ["%(L)s", "%(D)s", "%(M)s", "%(T)s"];

    private QueueTimeAssessment()
    {
    }

    /// <summary>True when the rule fires.</summary>
    public bool Fires { get; private init; }

    /// <summary>True when the proxy-side gap is there but one side holds too few requests.</summary>
    public bool Inconclusive { get; private init; }

    private string Measure { get; init; } = "";

    private int Backlog { get; init; }

    private string What { get; init; } = "";

    private string Note { get; init; } = "";

    private string Saw { get; init; } = "";

    private long MinimumRequests { get; init; }

    private List<object?> Evidence { get; init; } = [];

    /// <summary>Reads one instance.</summary>
    public static QueueTimeAssessment Of(GunicornConfiguration configuration, IReadOnlyList<WorkerPoolSaturation> saturations,
        IReadOnlyList<RequestDurationHistogram> histograms, IReadOnlyList<ConfigParameter> proxyTimingFormats, TimeSpan margin,
        long minimumRequests)
    {
        var app = LatencyEvidence.OneFamily(LatencyEvidence.Latest(histograms.Where(h => !LatencyEvidence.IsProxySide(h))));
        var proxy = LatencyEvidence.OneFamily(LatencyEvidence.Latest(histograms.Where(LatencyEvidence.IsProxySide)));
        var measure = GunicornMeasure(configuration, app, out var measureEvidence);
        var saturation = saturations.FirstOrDefault(s => s.IsSaturated);
        var backlog = configuration[GunicornSettingCatalog.Backlog.Name];
        if (measure is null)
        {
            return new QueueTimeAssessment();
        }

        if (app.Count > 0 && proxy.Count > 0)
        {
            var appMerged = LatencyEvidence.Merge(app);
            var proxyMerged = LatencyEvidence.Merge(proxy);
            var appP95 = LatencyEvidence.Estimate(appMerged, 0.95);
            var proxyP95 = LatencyEvidence.Estimate(proxyMerged, 0.95);
            if (appP95 is not { AboveHighestBound: false } inside || proxyP95 is not { } outside || outside.Value - inside.Value < margin)
            {
                return new QueueTimeAssessment();
            }

            var appRequests = LatencyEvidence.Requests(appMerged.Count);
            var proxyRequests = LatencyEvidence.Requests(proxyMerged.Count);
            var gap = outside.Value - inside.Value;
            var comparison = $"{LatencyEvidence.Describe(proxy)} shows a P95 of {outside} over {proxyRequests} requests against Gunicorn's "
                + $"{inside} over {appRequests} requests, {(outside.AboveHighestBound ? "at least " : "")}{LatencyEvidence.Format(gap)} that Gunicorn never sees";
            var enough = appRequests >= minimumRequests && proxyRequests >= minimumRequests;
            return new QueueTimeAssessment
            {
                Fires = enough,
                Inconclusive = !enough,
                Measure = measure,
                Backlog = configuration.Backlog,
                What = comparison,
                Note = "; the gap is time before Gunicorn's clock starts: the wait in the listen queue, plus the client connection where the proxy logs $request_time"
                    + (saturation is null ? "" : $"; the workers were saturated too ({saturation.Describe()})"),
                Saw = comparison,
                MinimumRequests = minimumRequests,
                Evidence = [.. proxy, .. app, backlog, saturation],
            };
        }

        if (saturation is null || proxy.Count > 0 || proxyTimingFormats.Count > 0)
        {
            return new QueueTimeAssessment();
        }

        return new QueueTimeAssessment
        {
            Fires = true,
            Measure = measure,
            Backlog = configuration.Backlog,
            What = $"{saturation.Describe()}, so requests that arrived then waited where this metric cannot see them",
            Note = "; no proxy-side timing was found to show the wait: log nginx's $upstream_response_time and $request_time",
            Evidence = [saturation, .. measureEvidence, backlog],
        };
    }

    /// <summary>The GI3003 finding.</summary>
    public Finding ToFinding() => Finding.Of(Measure, Backlog, What, Note).Because(Evidence);

    /// <summary>The GI0003 finding.</summary>
    public Finding ToInconclusiveFinding() =>
        Finding
            .Of(LatencyEvidence.Name(LatencyDescriptors.QueueTimeExcluded), Saw,
                $"both sides need at least {MinimumRequests} requests to compare their P95: supply a longer window, or lower GI3003.min-requests")
            .Because(Evidence);

    /// <summary>How Gunicorn's own request duration is measured here, or null when nothing measures it.</summary>
    private static string? GunicornMeasure(GunicornConfiguration configuration, IReadOnlyList<RequestDurationHistogram> app, out List<object> evidence)
    {
        evidence = [];
        if (app.Count > 0)
        {
            evidence.AddRange(app);
            return LatencyEvidence.Describe(app);
        }

        if (configuration.AccessLog is not null && TimeAtoms.Where(configuration.AccessLogFormat.Contains).ToArray() is { Length: > 0 } atoms)
        {
            evidence.Add(configuration[GunicornSettingCatalog.AccessLog.Name]);
            evidence.Add(configuration[GunicornSettingCatalog.AccessLogFormat.Name]);
            return $"the access log's {string.Join(" and ", atoms)}";
        }

        if (configuration.StatsdHost is { } host)
        {
            evidence.Add(configuration[GunicornSettingCatalog.StatsdHost.Name]);
            return $"the StatsD timer gunicorn.request.duration sent to {host}";
        }

        return null;
    }
}
