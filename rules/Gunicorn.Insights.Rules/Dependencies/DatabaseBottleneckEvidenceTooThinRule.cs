using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>
/// GI0003 for GI6003: workers timed out and a transaction spent most of its time in database queries, but its averages
/// cover fewer requests than <c>min-requests</c>, too few to blame the database.
/// </summary>
public sealed class DatabaseBottleneckEvidenceTooThinRule : Rule
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
            .Let(() => thin, () => TimeBreakdown.HeaviestThin(timings, TimeComponent.Database, DatabaseBottleneckTimeoutRule.Criteria(parameters)))
            .Having(() => thin != null);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(TimeBreakdown.Label(DependenciesDescriptors.DatabaseBottleneckTimeout),
                    TimeBreakdown.TimedOut(timeouts) + " and "
                    + TimeBreakdown.DescribeThin(thin!, TimeComponent.Database, "in database queries", DatabaseBottleneckTimeoutRule.Criteria(parameters)),
                    TimeBreakdown.SupplyMore(DatabaseBottleneckTimeoutRule.Criteria(parameters)))
                .Because(timeouts, thin));
    }
}
