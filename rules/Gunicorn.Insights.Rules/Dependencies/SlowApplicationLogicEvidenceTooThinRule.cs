using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Processes;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>
/// GI0003 for GI6005: workers timed out and a transaction spent most of its time in application code, but its averages
/// cover fewer requests than <c>min-requests</c> and no stack of a timed-out worker shows application code.
/// </summary>
public sealed class SlowApplicationLogicEvidenceTooThinRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerTimeouts timeouts = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<ApplicationTiming> timings = null!;
        ApplicationTiming? thin = null;

        When()
            .Match(() => timeouts, t => TimeBreakdown.RequestsBlockHeartbeat(t.Configuration))
            .Match(() => parameters)
            .Collect(() => timings, (ApplicationTiming t) => t.Instance == timeouts.Instance)
            .Let(() => thin, () => TimeBreakdown.HeaviestThin(timings, TimeComponent.Application, SlowApplicationLogicTimeoutRule.Criteria(parameters)))
            .Having(() => thin != null)
            .Not<StackSnapshot>(s => s.Instance == timeouts.Instance, s => !s.IsMaster && timeouts.Pids.Contains(s.Pid) && SlowApplicationLogicTimeoutRule.InApplicationCode(s));
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(TimeBreakdown.Label(DependenciesDescriptors.SlowApplicationLogicTimeout),
                    TimeBreakdown.TimedOut(timeouts) + " and "
                    + TimeBreakdown.DescribeThin(thin!, TimeComponent.Application, "in application code", SlowApplicationLogicTimeoutRule.Criteria(parameters)),
                    TimeBreakdown.SupplyMore(SlowApplicationLogicTimeoutRule.Criteria(parameters)))
                .Because(timeouts, thin));
    }
}
