using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>GI1001: WORKER TIMEOUT lines mean the master killed workers that were silent for longer than <c>timeout</c>.</summary>
public sealed class WorkerTimeoutRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerTimeouts timeouts = null!;

        When()
            .Match(() => timeouts);
        Then()
            .Report(WorkerLifecycleDescriptors.WorkerTimeout, () => Finding
                .Of(timeouts.Count, timeouts.Pids.Count, timeouts.Timeout,
                    timeouts.TimeoutSetting.IsDefault ? " (Gunicorn's default; no timeout setting was found)" : "")
                .Because(timeouts));
    }
}
