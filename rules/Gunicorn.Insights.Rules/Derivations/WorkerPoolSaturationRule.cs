using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Derivations;

/// <summary>
/// Derives <see cref="WorkerPoolSaturation"/> for an instance when at least <see cref="WorkerPoolSaturation.MinimumSaturatedSamples"/>
/// busy-worker samples, and at least <see cref="WorkerPoolSaturation.SaturatedShareThreshold"/> of them, had every
/// worker busy, or when the proxy found the listen backlog full.
/// </summary>
[Priority(900)]
public sealed class WorkerPoolSaturationRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<WorkerUtilization> samples = null!;
        IReadOnlyList<LogSignature> overflows = null!;

        When()
            .Match(() => configuration)
            .Collect(() => samples, (WorkerUtilization u) => u.Instance == configuration.Instance)
            .Collect(() => overflows, (LogSignature s) => s.Instance == configuration.Instance,
                s => s.Kind == LogSignatureKind.UpstreamConnectFailed && s.Examples.Any(e => e.Text.Contains("Resource temporarily unavailable")))
            .Having(() => new WorkerPoolSaturation(configuration, samples, overflows).IsSaturated);
        Then()
            .Yield(() => new WorkerPoolSaturation(configuration, samples, overflows));
    }
}
