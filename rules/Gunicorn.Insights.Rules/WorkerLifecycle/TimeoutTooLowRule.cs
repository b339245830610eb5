using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>
/// GI1002: "Worker killed when timeout setting too low or missing" — WORKER TIMEOUT lines while the timeout is
/// Gunicorn's default of 30 s (nobody set it) or explicitly set below the <c>minimum-timeout</c> parameter.
/// </summary>
public sealed class TimeoutTooLowRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerTimeouts timeouts = null!;
        RuleParameters parameters = null!;

        When()
            .Match(() => timeouts, t => !t.Configuration.TimeoutDisabled)
            .Match(() => parameters)
            .Having(() => timeouts.TimeoutSetting.IsDefault
                || timeouts.Timeout < parameters.Duration(WorkerLifecycleDescriptors.TimeoutTooLow, "minimum-timeout"));
        Then()
            .Report(WorkerLifecycleDescriptors.TimeoutTooLow, () => Finding
                .Of(timeouts.Count, timeouts.Pids.Count, timeouts.Timeout,
                    HowItWasSet(timeouts.TimeoutSetting, parameters.Duration(WorkerLifecycleDescriptors.TimeoutTooLow, "minimum-timeout")),
                    WhatTheTimeoutCatches(timeouts.Configuration))
                .Because(timeouts)
                .Recommending(Recommendations.TimeoutAtLeast(timeouts.Configuration,
                    parameters.Duration(WorkerLifecycleDescriptors.TimeoutTooLow, "minimum-timeout"), "workers were killed at the current timeout")));
    }

    /// <summary>Where the timeout came from: Gunicorn's default, or the setting that made it too low.</summary>
    internal static string HowItWasSet(ConfigParameter setting, TimeSpan minimum) =>
        setting.IsDefault
            ? "Gunicorn's default: no timeout setting was found"
            : $"{setting.Describe()} at {setting.Source}, below the {DiagnosisMessage.FormatValue(minimum)} minimum";

    /// <summary>What a timeout means for the instance's worker class, and what raising it does.</summary>
    internal static string WhatTheTimeoutCatches(GunicornConfiguration configuration)
    {
        var timeout = DiagnosisMessage.FormatValue(configuration.Timeout);
        return IsSync(configuration.EffectiveWorkerClass)
            ? $"a sync worker does not heartbeat while it handles a request, so every request slower than {timeout} is aborted "
                + "with its worker; set the timeout above the slowest legitimate request (e.g. --timeout 120)"
            : $"with {configuration.EffectiveWorkerClass} workers a timeout means the worker's main loop could not run for "
                + $"{timeout} (CPU-bound or non-yielding code), so a higher timeout (e.g. --timeout 120) only helps if that stall is legitimate";
    }

    /// <summary>True for Gunicorn's sync worker, by name or class path.</summary>
    internal static bool IsSync(string workerClass) =>
        workerClass == "sync" || workerClass.EndsWith("SyncWorker", StringComparison.Ordinal);
}
