using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Proxy;

/// <summary>
/// GI4003: nginx's <c>upstream prematurely closed connection while reading response header from upstream</c> lines and
/// 502 responses on an instance whose Gunicorn logged WORKER TIMEOUT in the same period are requests whose worker was
/// killed mid-request by the worker timeout.
/// </summary>
/// <remarks>
/// The 502s count the larger of the nginx <c>502</c> signatures and the 502s in front-end access logs (any
/// <see cref="TrafficSummary"/> not logged by Gunicorn), so one log read both ways is not counted twice. When both sides
/// carry times they must come within <c>correlation-window</c> of each other. Without any worker death on the instance,
/// <see cref="UpstreamClosedWithoutWorkerDeathsRule"/> says what would confirm the cause instead.
/// </remarks>
public sealed class UpstreamClosedByWorkerTimeoutRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<LogSignature> closes = null!;
        IReadOnlyList<TrafficSummary> frontEnds = null!;
        WorkerTimeouts timeouts = null!;
        RuleParameters parameters = null!;

        When()
            .Match(() => configuration)
            .Collect(() => closes, (LogSignature s) => s.Instance == configuration.Instance, s => IsBadGatewaySignature(s))
            .Collect(() => frontEnds, (TrafficSummary t) => t.Instance == configuration.Instance, t => IsFrontEndWith502(t))
            .Having(() => closes.Count > 0 || frontEnds.Count > 0)
            .Match(() => timeouts, w => w.Instance == configuration.Instance)
            .Match(() => parameters)
            .Having(() => Overlaps(closes, frontEnds, timeouts,
                parameters.Duration(ProxyDescriptors.UpstreamClosedByWorkerTimeout, "correlation-window")));
        Then()
            .Report(ProxyDescriptors.UpstreamClosedByWorkerTimeout, () => Finding
                .Of(PrematureCloses(closes), BadGatewayClause(closes, frontEnds), timeouts.Count, timeouts.Pids.Count, timeouts.Timeout)
                .Because(closes, frontEnds, timeouts));
    }

    /// <summary>True for nginx's prematurely-closed lines and 502 responses.</summary>
    public static bool IsBadGatewaySignature(LogSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return signature.Kind is LogSignatureKind.UpstreamPrematurelyClosed or LogSignatureKind.Http502;
    }

    /// <summary>True for a front end's (not Gunicorn's own) access-log summary with 502 responses.</summary>
    public static bool IsFrontEndWith502(TrafficSummary traffic)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        return traffic.IsFrontEnd && traffic.WithStatus(502) > 0;
    }

    /// <summary>How many <c>upstream prematurely closed connection</c> lines there were.</summary>
    public static long PrematureCloses(IReadOnlyList<LogSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        return signatures.Where(s => s.Kind == LogSignatureKind.UpstreamPrematurelyClosed).Sum(s => s.Count);
    }

    /// <summary>
    /// The 502 responses counted, or, when no front-end access log was supplied, where to count them: the message never
    /// claims a number it did not see.
    /// </summary>
    public static string BadGatewayClause(IReadOnlyList<LogSignature> signatures, IReadOnlyList<TrafficSummary> frontEnds)
    {
        var badGateways = BadGateways(signatures, frontEnds);
        return badGateways > 0 ? $" and {badGateways} 502 response(s)"
            : frontEnds.Count == 0 && !signatures.Any(s => s.Kind == LogSignatureKind.Http502) ? " (supply nginx's access log to count the 502 responses)"
            : " and no 502 response";
    }

    /// <summary>How many 502 responses there were: the larger of the 502 signatures and the front-end access logs' 502s.</summary>
    public static long BadGateways(IReadOnlyList<LogSignature> signatures, IReadOnlyList<TrafficSummary> frontEnds)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        ArgumentNullException.ThrowIfNull(frontEnds);
        return Math.Max(signatures.Where(s => s.Kind == LogSignatureKind.Http502).Sum(s => s.Count), FrontEndTraffic.Responses(frontEnds, 502));
    }

    /// <summary>
    /// True unless both the nginx errors and the worker timeouts carry times and they lie more than
    /// <paramref name="window"/> apart.
    /// </summary>
    public static bool Overlaps(IReadOnlyList<LogSignature> signatures, IReadOnlyList<TrafficSummary> frontEnds, WorkerTimeouts timeouts, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        ArgumentNullException.ThrowIfNull(frontEnds);
        ArgumentNullException.ThrowIfNull(timeouts);
        var times = signatures.SelectMany(s => new[] { s.FirstSeen, s.LastSeen })
            .Concat(frontEnds.SelectMany(t => new[] { t.FirstSeen, t.LastSeen }))
            .OfType<DateTimeOffset>()
            .ToArray();
        if (times.Length == 0 || timeouts.FirstSeen is not { } first || timeouts.LastSeen is not { } last)
        {
            return true;
        }

        return times.Min() - window <= last && times.Max() + window >= first;
    }

    /// <summary>What nginx showed, for messages: counts of prematurely-closed lines and 502s.</summary>
    public static string DescribeNginxSide(IReadOnlyList<LogSignature> signatures, IReadOnlyList<TrafficSummary> frontEnds) =>
        string.Create(CultureInfo.InvariantCulture,
            $"nginx logged {PrematureCloses(signatures)} 'upstream prematurely closed connection' line(s) and {BadGateways(signatures, frontEnds)} 502 response(s)");
}
