using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Proxy;

namespace Gunicorn.Insights.Rules.Platform;

/// <summary>
/// GI5001: the platform's router ended requests at its deadline (Heroku H12 after 30 s, Cloud Run's request timeout,
/// App Service's front end) while Gunicorn lets the worker go on: a sync worker whose timeout is not below the
/// deadline, a disabled timeout, or a worker class whose requests the timeout does not bound.
/// </summary>
/// <remarks>
/// The deadline is, in order: a <see cref="ConfigurationScope.Platform"/> parameter named <c>timeoutSeconds</c>,
/// <c>timeout</c> or <c>request_timeout</c> (e.g. from a Cloud Run service YAML); Heroku's fixed 30 s when H12 lines or
/// the host say Heroku; App Service's 230 s; Cloud Run's default of 300 s. Without one,
/// <see cref="PlatformTimeoutUnknownDeadlineRule"/> says what to supply.
/// </remarks>
public sealed class PlatformTimeoutOutlivedRule : Rule
{
    /// <summary>Heroku's router deadline.</summary>
    public static readonly TimeSpan HerokuDeadline = TimeSpan.FromSeconds(30);

    /// <summary>App Service's front-end deadline.</summary>
    public static readonly TimeSpan AppServiceDeadline = TimeSpan.FromSeconds(230);

    /// <summary>Cloud Run's request timeout unless the service sets another.</summary>
    public static readonly TimeSpan CloudRunDefaultDeadline = TimeSpan.FromSeconds(300);

    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<LogSignature> platformTimeouts = null!;
        IReadOnlyList<ConfigParameter> deadlineSettings = null!;
        IReadOnlyList<HostFacts> hosts = null!;
        Deadline? deadline = null;

        When()
            .Match(() => configuration)
            .Collect(() => platformTimeouts, (LogSignature s) => s.Instance == configuration.Instance, s => IsPlatformTimeout(s))
            .Having(() => platformTimeouts.Count > 0)
            .Collect(() => deadlineSettings, (ConfigParameter p) => p.Instance == configuration.Instance, p => IsDeadlineSetting(p))
            .Collect(() => hosts, (HostFacts h) => h.Instance == configuration.Instance)
            .Let(() => deadline, () => FindDeadline(platformTimeouts, deadlineSettings, hosts))
            .Having(() => deadline != null && Outlives(configuration, deadline.Value));
        Then()
            .Report(PlatformDescriptors.PlatformTimeout, () => Finding
                .Of(platformTimeouts.Sum(s => s.Count), deadline!.Value, deadline.Source, GunicornSide(configuration))
                .Because(platformTimeouts, deadline.Evidence, configuration[GunicornSettingCatalog.Timeout.Name],
                    configuration[GunicornSettingCatalog.WorkerClass.Name])
                .Recommending(Recommendations.TimeoutAtMost(configuration, deadline.Value - TimeSpan.FromSeconds(5),
                    "below the platform's request deadline, so the worker stops when the platform gives up")));
    }

    /// <summary>A platform's deadline for one request, where it comes from, and what shows it.</summary>
    /// <param name="Value">The deadline.</param>
    /// <param name="Source">How the message names its origin, e.g. <c>Heroku router, H12</c>.</param>
    /// <param name="Evidence">The setting or host facts that set it; null when the timeout lines themselves show it.</param>
    public sealed record Deadline(TimeSpan Value, string Source, object? Evidence);

    /// <summary>True for a line that says the platform, not the app, ended a request.</summary>
    public static bool IsPlatformTimeout(LogSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return signature.Kind is LogSignatureKind.HerokuRequestTimeout or LogSignatureKind.PlatformRequestTimeout;
    }

    /// <summary>True for a platform setting that states the request deadline.</summary>
    public static bool IsDeadlineSetting(ConfigParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.Scope == ConfigurationScope.Platform && parameter.Name is "timeoutSeconds" or "timeout" or "request_timeout"
            && SettingDuration(parameter) is not null;
    }

    /// <summary>The deadline the evidence shows, or null when the platform and its setting are unknown.</summary>
    public static Deadline? FindDeadline(IReadOnlyList<LogSignature> platformTimeouts, IReadOnlyList<ConfigParameter> settings,
        IReadOnlyList<HostFacts> hosts)
    {
        ArgumentNullException.ThrowIfNull(platformTimeouts);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(hosts);
        if (settings.Count > 0)
        {
            var setting = settings[^1];
            return new Deadline(SettingDuration(setting)!.Value, $"the platform's request timeout, {setting.WrittenAs}", setting);
        }

        if (platformTimeouts.Any(s => s.Kind == LogSignatureKind.HerokuRequestTimeout))
        {
            return new Deadline(HerokuDeadline, "Heroku router, H12", null);
        }

        var host = hosts.LastOrDefault(h => h.Platform is PlatformKind.Heroku or PlatformKind.AzureAppService or PlatformKind.GoogleCloudRun);
        return host?.Platform switch
        {
            PlatformKind.Heroku => new Deadline(HerokuDeadline, "Heroku router", host),
            PlatformKind.AzureAppService => new Deadline(AppServiceDeadline, "App Service Linux front end", host),
            PlatformKind.GoogleCloudRun => new Deadline(CloudRunDefaultDeadline, "Cloud Run's default request timeout; no timeout setting was found", host),
            _ => null,
        };
    }

    /// <summary>True when a request can go on in Gunicorn after the platform's deadline.</summary>
    public static bool Outlives(GunicornConfiguration configuration, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.TimeoutDisabled || !ProxyReadTimeoutBeforeGunicornRule.IsSync(configuration) || configuration.Timeout >= deadline;
    }

    /// <summary>What Gunicorn does with the request, for the message.</summary>
    public static string GunicornSide(GunicornConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.TimeoutDisabled)
        {
            return "has its worker timeout disabled (timeout = 0)";
        }

        if (!ProxyReadTimeoutBeforeGunicornRule.IsSync(configuration))
        {
            return $"runs {configuration.EffectiveWorkerClass} workers, whose requests the worker timeout does not bound";
        }

        var isDefault = configuration[GunicornSettingCatalog.Timeout.Name].IsDefault;
        return $"stops a busy sync worker only at its worker timeout of {DiagnosisMessage.FormatValue(configuration.Timeout)}"
            + (isDefault ? " (Gunicorn's default)" : "");
    }

    private static TimeSpan? SettingDuration(ConfigParameter parameter) =>
        parameter.Value.TryGetDuration(out var duration) ? duration
        : parameter.Value.TryGetInteger(out var seconds) ? TimeSpan.FromSeconds(seconds)
        : ProxyReadTimeoutBeforeGunicornRule.NginxTime(parameter.Value.Text);
}
