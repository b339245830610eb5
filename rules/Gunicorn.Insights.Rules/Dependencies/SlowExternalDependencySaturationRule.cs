using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>
/// GI6002: the worker pool saturated while a transaction spent most of its request time waiting on external calls, so
/// workers sat waiting on the dependency instead of serving, and callers queued and timed out in turn.
/// </summary>
public sealed class SlowExternalDependencySaturationRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerPoolSaturation saturation = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<ApplicationTiming> timings = null!;
        ApplicationTiming? heaviest = null;

        When()
            .Match(() => saturation)
            .Match(() => parameters)
            .Collect(() => timings, (ApplicationTiming t) => t.Instance == saturation.Instance)
            .Let(() => heaviest, () => TimeBreakdown.Heaviest(timings, TimeComponent.External, Criteria(parameters)))
            .Having(() => heaviest != null);
        Then()
            .Report(DependenciesDescriptors.SlowExternalDependencySaturation, () => Finding
                .Of(saturation.Describe(), TimeBreakdown.Name(heaviest!), TimeBreakdown.Part(heaviest!, TimeComponent.External), heaviest!.AverageTotal,
                    TimeBreakdown.ShareOf(heaviest!, TimeComponent.External), heaviest!.Requests)
                .Because(saturation, heaviest));
    }

    /// <summary>The thresholds in force.</summary>
    internal static TimingCriteria Criteria(RuleParameters parameters) =>
        TimingCriteria.Of(parameters, DependenciesDescriptors.SlowExternalDependencySaturation);
}
