using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Derivations;

/// <summary>Derives <see cref="CpuSaturation"/> for an instance with at least one saturated CPU sample.</summary>
[Priority(900)]
public sealed class CpuSaturationRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<CpuUsage> samples = null!;

        When()
            .Match(() => configuration)
            .Collect(() => samples, (CpuUsage c) => c.Instance == configuration.Instance)
            .Having(() => samples.Any(CpuSaturation.IsSaturated));
        Then()
            .Yield(() => new CpuSaturation(samples) { Instance = configuration.Instance });
    }
}
