using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>
/// GI6003: workers timed out while a transaction spent most of its request time in database queries (or ran many
/// queries per request), so requests whose queries outlasted <c>timeout</c> had their workers killed.
/// </summary>
public sealed class DatabaseBottleneckTimeoutRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerTimeouts timeouts = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<ApplicationTiming> timings = null!;
        ApplicationTiming? heaviest = null;

        When()
            .Match(() => timeouts, t => TimeBreakdown.RequestsBlockHeartbeat(t.Configuration))
            .Match(() => parameters)
            .Collect(() => timings, (ApplicationTiming t) => t.Instance == timeouts.Instance)
            .Let(() => heaviest, () => TimeBreakdown.Heaviest(timings, TimeComponent.Database, Criteria(parameters)))
            .Having(() => heaviest != null);
        Then()
            .Report(DependenciesDescriptors.DatabaseBottleneckTimeout, () => Finding
                .Of(timeouts.Count, timeouts.Timeout, TimeBreakdown.Name(heaviest!), TimeBreakdown.Part(heaviest!, TimeComponent.Database),
                    heaviest!.AverageTotal, TimeBreakdown.ShareOf(heaviest!, TimeComponent.Database), TimeBreakdown.Queries(heaviest!), heaviest!.Requests)
                .Because(timeouts, heaviest));
    }

    /// <summary>The thresholds in force.</summary>
    internal static TimingCriteria Criteria(RuleParameters parameters) =>
        TimingCriteria.Of(parameters, DependenciesDescriptors.DatabaseBottleneckTimeout, withQueries: true);
}
