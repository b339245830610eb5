using System.Globalization;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Proxy;

namespace Gunicorn.Insights.Rules.Platform;

/// <summary>
/// GI0003 for GI5001: the platform ended requests at its own deadline, but neither a platform timeout setting nor a
/// platform with a known deadline shows how long that deadline is, so it cannot be compared with Gunicorn's timeout.
/// </summary>
public sealed class PlatformTimeoutUnknownDeadlineRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<LogSignature> platformTimeouts = null!;
        IReadOnlyList<ConfigParameter> deadlineSettings = null!;
        IReadOnlyList<HostFacts> hosts = null!;

        When()
            .Match(() => configuration)
            .Collect(() => platformTimeouts, (LogSignature s) => s.Instance == configuration.Instance, s => PlatformTimeoutOutlivedRule.IsPlatformTimeout(s))
            .Having(() => platformTimeouts.Count > 0)
            .Collect(() => deadlineSettings, (ConfigParameter p) => p.Instance == configuration.Instance, p => PlatformTimeoutOutlivedRule.IsDeadlineSetting(p))
            .Collect(() => hosts, (HostFacts h) => h.Instance == configuration.Instance)
            .Having(() => PlatformTimeoutOutlivedRule.FindDeadline(platformTimeouts, deadlineSettings, hosts) == null);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(PlatformDescriptors.Subject(PlatformDescriptors.PlatformTimeout),
                    Saw(platformTimeouts.Sum(s => s.Count), configuration),
                    "supply the platform's request timeout (Cloud Run's timeoutSeconds, App Engine's scaling type) or the host facts "
                    + "naming the platform, so the deadline can be compared with Gunicorn's timeout and worker class")
                .Because(platformTimeouts, configuration[GunicornSettingCatalog.Timeout.Name]));
    }

    /// <summary>What the rule saw, for the message.</summary>
    public static string Saw(long count, GunicornConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return string.Create(CultureInfo.InvariantCulture,
            $"the platform ended {count} request(s) at its own deadline, but how long that deadline is was not found "
            + $"(Gunicorn: {configuration.EffectiveWorkerClass} workers, worker timeout {ProxyReadTimeoutBeforeGunicornRule.WorkerTimeout(configuration)})");
    }
}
