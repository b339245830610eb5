using System.Text.RegularExpressions;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// GI3007: Gunicorn is started through <c>newrelic-admin run-program</c> and/or <c>NEW_RELIC_CONFIG_FILE</c> is set,
/// "Gunicorn startup with New Relic APM wrapper". Confirms the instrumentation and names an inconsistent setup (the
/// wrapper without a configuration, or the configuration without the wrapper). License keys are never shown.
/// </summary>
public sealed partial class NewRelicWrapperRule : Rule
{
    /// <summary>New Relic's wrapper program.</summary>
    internal const string Wrapper = "newrelic-admin";

    /// <summary>The environment variable that names the agent's configuration file.</summary>
    internal const string ConfigFileVariable = "NEW_RELIC_CONFIG_FILE";

    private const string LicenseKeyVariable = "NEW_RELIC_LICENSE_KEY";

    private const string Redacted = "(redacted)";

    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<LaunchCommand> commands = null!;
        IReadOnlyList<ConfigParameter> environment = null!;

        When()
            .Match(() => configuration)
            .Collect(() => commands, (LaunchCommand c) => c.Instance == configuration.Instance, c => c.RunsGunicorn)
            .Collect(() => environment, (ConfigParameter p) => p.Instance == configuration.Instance,
                p => p.Scope == ConfigurationScope.Platform && (p.Name == ConfigFileVariable || p.Name == LicenseKeyVariable))
            .Having(() => IsWrapped(commands) || ConfigFile(commands, environment) != null);
        Then()
            .Report(LatencyDescriptors.NewRelicApm, () => Finding
                .Of(Launch(commands), Configuration(commands, environment), Consistency(commands, environment))
                .Because(commands.Select(c => Redact(c)), environment.Select(p => Redact(p))));
    }

    /// <summary>True when a launch command runs Gunicorn under <c>newrelic-admin</c>.</summary>
    internal static bool IsWrapped(IReadOnlyList<LaunchCommand> commands) =>
        commands.Any(c => c.Wrappers.Contains(Wrapper, StringComparer.Ordinal));

    /// <summary>The configuration file the agent is pointed at: the environment variable, or an assignment in the command itself.</summary>
    internal static string? ConfigFile(IReadOnlyList<LaunchCommand> commands, IReadOnlyList<ConfigParameter> environment) =>
        environment.FirstOrDefault(p => p.Name == ConfigFileVariable)?.Value.Text
        ?? commands.SelectMany(c => c.Words).Where(w => w.StartsWith(ConfigFileVariable + "=", StringComparison.Ordinal))
            .Select(w => w[(ConfigFileVariable.Length + 1)..]).FirstOrDefault();

    /// <summary>How Gunicorn is launched, in words.</summary>
    internal static string Launch(IReadOnlyList<LaunchCommand> commands) =>
        IsWrapped(commands) ? "Gunicorn is started through newrelic-admin run-program"
        : commands.Count > 0 ? "Gunicorn is not started through newrelic-admin run-program"
        : "no launch command was found to show how Gunicorn is started";

    /// <summary>Where the agent's settings come from, in words (never a key).</summary>
    internal static string Configuration(IReadOnlyList<LaunchCommand> commands, IReadOnlyList<ConfigParameter> environment) =>
        ConfigFile(commands, environment) is { } file ? $"{ConfigFileVariable} is {file}"
        : HasLicenseKey(commands, environment) ? $"{ConfigFileVariable} is not set, the agent is configured through {LicenseKeyVariable} in the environment"
        : $"{ConfigFileVariable} is not set";

    /// <summary>What the combination means: instrumented, or what is missing.</summary>
    internal static string Consistency(IReadOnlyList<LaunchCommand> commands, IReadOnlyList<ConfigParameter> environment)
    {
        var wrapped = IsWrapped(commands);
        var configured = ConfigFile(commands, environment) is not null || HasLicenseKey(commands, environment);
        if (wrapped && configured)
        {
            return "; the agent is loaded in every worker and reports web transactions and transaction traces";
        }

        if (wrapped)
        {
            return $"; without a configuration file or {LicenseKeyVariable} the agent has no license key and reports nothing: set {ConfigFileVariable}=newrelic.ini";
        }

        return commands.Count > 0
            ? "; the variable alone loads nothing: unless the application calls newrelic.agent.initialize() itself, start Gunicorn with newrelic-admin run-program"
            : "; supply the launch command (ExecStart, Procfile, Dockerfile CMD) to confirm the agent is loaded through newrelic-admin run-program";
    }

    /// <summary>A launch command as evidence, with license keys and other secrets replaced.</summary>
    internal static Evidence Redact(LaunchCommand command)
    {
        var words = command.Words.ToArray();
        for (var i = 0; i < words.Length; i++)
        {
            var assignment = words[i].IndexOf('=', StringComparison.Ordinal);
            if (assignment > 0 && SecretName().IsMatch(words[i][..assignment]))
            {
                words[i] = words[i][..(assignment + 1)] + Redacted;
            }
            else if ((i > 0 && words[i - 1] == "generate-config") || KeyLike().IsMatch(words[i]))
            {
                words[i] = Redacted;
            }
        }

        return new Evidence(command.Source, string.Join(' ', words)) { Fact = command };
    }

    /// <summary>An environment variable as evidence; a license key's value is never shown.</summary>
    internal static Evidence Redact(ConfigParameter parameter) =>
        parameter.Name == LicenseKeyVariable
            ? new Evidence(parameter.Source, $"{LicenseKeyVariable} = {Redacted}") { Fact = parameter }
            : Evidence.Of(parameter);

    private static bool HasLicenseKey(IReadOnlyList<LaunchCommand> commands, IReadOnlyList<ConfigParameter> environment) =>
        environment.Any(p => p.Name == LicenseKeyVariable)
        || commands.SelectMany(c => c.Words).Any(w => w.StartsWith(LicenseKeyVariable + "=", StringComparison.Ordinal));

    [GeneratedRegex("(KEY|LICENSE|TOKEN|SECRET|PASSWORD)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    /// <summary>A New Relic license key: 40 hex characters, or the newer form ending in NRAL.</summary>
    [GeneratedRegex("^([0-9a-fA-F]{40}|[0-9A-Za-z]{36}NRAL)$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyLike();
}
