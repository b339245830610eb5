using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Derivations;

/// <summary>
/// Derives the effective Gunicorn configuration of every instance seen in the input: its configuration parameters
/// under Gunicorn's precedence, with Gunicorn's defaults for what nobody set. An instance with observations but no
/// configuration at all gets the defaults, marked as such, so rules can still say what applied.
/// </summary>
[Priority(1000)]
public sealed class EffectiveGunicornConfigurationRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        IReadOnlyList<Observation> observations = null!;

        When()
            .Collect(() => observations, (Observation o) => !(o is GunicornConfiguration));
        Then()
            .YieldAll(() => observations
                .GroupBy(o => o.Instance)
                .Select(instance => GunicornConfiguration.Resolve(instance.OfType<ConfigParameter>(), instance.Key)));
    }
}
