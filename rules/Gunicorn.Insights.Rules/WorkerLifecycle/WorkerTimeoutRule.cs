using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>GI1001: WORKER TIMEOUT lines mean the master killed workers that were silent for longer than <c>timeout</c>.</summary>
public sealed class WorkerTimeoutRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        LogSignature timeouts = null!;
        GunicornConfiguration configuration = null!;

        When()
            .Match(() => timeouts, s => s.Kind == LogSignatureKind.WorkerTimeout)
            .Match(() => configuration, c => c.Instance == timeouts.Instance);
        Then()
            .Report(RuleDescriptors.WorkerTimeout, () => Finding
                .Of(timeouts.Count, timeouts.Pids.Count, configuration.Timeout,
                    configuration[GunicornSettingCatalog.Timeout.Name].IsDefault ? " (Gunicorn's default; no timeout setting was found)" : "")
                .Because(timeouts, configuration[GunicornSettingCatalog.Timeout.Name]));
    }
}
