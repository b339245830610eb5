using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>
/// GI0003 for GI6002: the worker pool saturated and a transaction spent most of its time in external calls, but its
/// averages cover fewer requests than <c>min-requests</c>, too few to blame the dependency.
/// </summary>
public sealed class SlowExternalDependencyEvidenceTooThinRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerPoolSaturation saturation = null!;
        RuleParameters parameters = null!;
        IReadOnlyList<ApplicationTiming> timings = null!;
        ApplicationTiming? thin = null;

        When()
            .Match(() => saturation)
            .Match(() => parameters)
            .Collect(() => timings, (ApplicationTiming t) => t.Instance == saturation.Instance)
            .Let(() => thin, () => TimeBreakdown.HeaviestThin(timings, TimeComponent.External, SlowExternalDependencySaturationRule.Criteria(parameters)))
            .Having(() => thin != null);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(TimeBreakdown.Label(DependenciesDescriptors.SlowExternalDependencySaturation),
                    "the worker pool was saturated (" + saturation.Describe() + ") and "
                    + TimeBreakdown.DescribeThin(thin!, TimeComponent.External, "in external calls", SlowExternalDependencySaturationRule.Criteria(parameters)),
                    TimeBreakdown.SupplyMore(SlowExternalDependencySaturationRule.Criteria(parameters)))
                .Because(saturation, thin));
    }
}
