using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Proxy;

/// <summary>
/// GI0003 for GI4003: nginx logged prematurely closed upstream connections or 502s, but the input shows no worker
/// timeout or SIGKILL for that instance, so whether workers were killed mid-request cannot be told; Gunicorn's error
/// log for the same period would settle it.
/// </summary>
public sealed class UpstreamClosedWithoutWorkerDeathsRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<LogSignature> closes = null!;
        IReadOnlyList<TrafficSummary> frontEnds = null!;

        When()
            .Match(() => configuration)
            .Collect(() => closes, (LogSignature s) => s.Instance == configuration.Instance, s => UpstreamClosedByWorkerTimeoutRule.IsBadGatewaySignature(s))
            .Collect(() => frontEnds, (TrafficSummary t) => t.Instance == configuration.Instance, t => UpstreamClosedByWorkerTimeoutRule.IsFrontEndWith502(t))
            .Having(() => closes.Count > 0 || frontEnds.Count > 0)
            .Not<WorkerTimeouts>(w => w.Instance == configuration.Instance)
            .Not<WorkerKill>(k => k.Instance == configuration.Instance);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(ProxyDescriptors.Subject(ProxyDescriptors.UpstreamClosedByWorkerTimeout),
                    UpstreamClosedByWorkerTimeoutRule.DescribeNginxSide(closes, frontEnds)
                        + ", but the input has no WORKER TIMEOUT or SIGKILL line for this instance",
                    "Gunicorn's error log for the same period would confirm the cause: '[CRITICAL] WORKER TIMEOUT (pid:N)' or "
                        + "'Worker (pid:N) was sent SIGKILL!' lines there mean the workers were killed mid-request")
                .Because(closes, frontEnds));
    }
}
