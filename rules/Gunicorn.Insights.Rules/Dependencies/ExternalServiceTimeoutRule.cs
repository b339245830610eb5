using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>
/// GI6004: workers timed out while a transaction spent most of its request time waiting on external services, so
/// requests that waited longer than <c>timeout</c> had their workers killed.
/// </summary>
public sealed class ExternalServiceTimeoutRule : Rule
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
            .Let(() => heaviest, () => TimeBreakdown.Heaviest(timings, TimeComponent.External, Criteria(parameters)))
            .Having(() => heaviest != null);
        Then()
            .Report(DependenciesDescriptors.ExternalServiceTimeout, () => Finding
                .Of(timeouts.Count, timeouts.Timeout, TimeBreakdown.Name(heaviest!), TimeBreakdown.Part(heaviest!, TimeComponent.External),
                    heaviest!.AverageTotal, TimeBreakdown.ShareOf(heaviest!, TimeComponent.External), heaviest!.Requests,
                    TimeBreakdown.AsynchronousWorkerNote(timeouts.Configuration))
                .Because(timeouts, heaviest));
    }

    /// <summary>The thresholds in force.</summary>
    internal static TimingCriteria Criteria(RuleParameters parameters) =>
        TimingCriteria.Of(parameters, DependenciesDescriptors.ExternalServiceTimeout);
}
