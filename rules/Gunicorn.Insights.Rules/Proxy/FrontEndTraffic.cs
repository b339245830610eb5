using Gunicorn.Insights.Observations.Requests;

namespace Gunicorn.Insights.Rules.Proxy;

/// <summary>Counts over the access-log summaries of front ends (nginx, a platform router).</summary>
internal static class FrontEndTraffic
{
    /// <summary>
    /// The responses with <paramref name="status"/>: from the overall summaries when there are any, because a log's
    /// per-path summaries split the same requests again and adding them would count every response twice.
    /// </summary>
    public static long Responses(IReadOnlyList<TrafficSummary> frontEnds, int status)
    {
        ArgumentNullException.ThrowIfNull(frontEnds);
        var overall = frontEnds.Where(t => t.Path is null).ToArray();
        return (overall.Length > 0 ? overall : frontEnds).Sum(t => t.WithStatus(status));
    }
}
