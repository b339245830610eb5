using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Observations;
using Microsoft.Extensions.Configuration;

namespace Gunicorn.Insights.Hosting.Configuration;

/// <summary>
/// Reads the rule configuration from an <see cref="IConfiguration"/> section, typically <c>GunicornInsights</c> in
/// <c>appsettings.json</c>, with the same keys, validation and messages as the configuration file
/// (<see cref="InsightConfigurationFile"/>); errors name the key path instead of a file and line:
/// <code>
/// "GunicornInsights": {
///   "Rules":        { "GI1001": "critical", "GI3002": "none" },
///   "Categories":   { "Latency": "info" },
///   "Suppressions": [ { "Rule": "GI2003", "Justification": "batch host, slow by design", "Instance": "web-2" } ],
///   "Parameters":   { "GI3001.p95-limit": "1.5s" }
/// }
/// </code>
/// Parameters may also be nested (<c>"Parameters": { "GI3001": { "p95-limit": "1.5s" } }</c>), which environment
/// variables can express: <c>GunicornInsights__Parameters__GI3001__p95-limit=1.5s</c>.
/// </summary>
public static class InsightConfigurationSection
{
    /// <summary>The keys a section may hold, as the refusal of an unknown key lists them.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        ["Rules", "Categories", "Suppressions", "Parameters", "ConfigurationFile", "IncludeBuiltInRules", "LogDiagnoses"];

    /// <summary>Adds the settings of <paramref name="section"/> to <paramref name="options"/>.</summary>
    /// <exception cref="InsightConfigurationException">A key or value is invalid; the message names its path.</exception>
    public static void Apply(IConfiguration section, GunicornInsightsOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var child in section.GetChildren())
        {
            switch (child.Key.ToLowerInvariant())
            {
                case "rules":
                    ReadSeverities(child, options.Rules);
                    break;
                case "categories":
                    ReadSeverities(child, options.Categories);
                    break;
                case "suppressions":
                    ReadSuppressions(child, options.Suppressions);
                    break;
                case "parameters":
                    ReadParameters(child, options.Parameters);
                    break;
                case "configurationfile":
                    options.ConfigurationFile = string.IsNullOrWhiteSpace(child.Value) ? null : child.Value;
                    break;
                case "includebuiltinrules":
                    options.IncludeBuiltInRules = ReadBoolean(child);
                    break;
                case "logdiagnoses":
                    // Read by the hosting options; checked here so that a typo in its value is refused like any other.
                    ReadBoolean(child);
                    break;
                default:
                    throw Error(child, $"unknown key '{child.Key}'; expected {string.Join(", ", Keys.Select(k => $"'{k}'"))}");
            }
        }
    }

    /// <summary>Reads a boolean key: <c>true</c> or <c>false</c>.</summary>
    /// <exception cref="InsightConfigurationException">The value is neither.</exception>
    internal static bool ReadBoolean(IConfigurationSection key) =>
        bool.TryParse(key.Value?.Trim(), out var value) ? value : throw Error(key, $"expected true or false, found '{key.Value}'");

    private static void ReadSeverities(IConfigurationSection section, IDictionary<string, ConfiguredSeverity> into)
    {
        foreach (var entry in section.GetChildren())
        {
            if (entry.Value is null)
            {
                throw Error(entry, "expected a severity string");
            }

            into[entry.Key] = ParseSeverity(entry);
        }
    }

    private static void ReadSuppressions(IConfigurationSection section, IList<Suppression> into)
    {
        // Arrays arrive as children keyed 0, 1, …; sorted numerically so that 10 comes after 9.
        foreach (var item in section.GetChildren().OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue))
        {
            if (item.Value is not null)
            {
                throw Error(item, "expected a suppression object");
            }

            string? rule = null, justification = null, instance = null, source = null;
            foreach (var field in item.GetChildren())
            {
                switch (field.Key.ToLowerInvariant())
                {
                    case "rule":
                    case "id":
                        rule = field.Value;
                        break;
                    case "justification":
                        justification = field.Value;
                        break;
                    case "instance":
                        instance = field.Value;
                        break;
                    case "source":
                        source = field.Value;
                        break;
                    default:
                        throw Error(field, $"unknown suppression key '{field.Key}'; expected 'rule', 'justification', 'instance' or 'source'");
                }
            }

            if (string.IsNullOrWhiteSpace(rule))
            {
                throw Error(item, "a suppression needs a 'rule'");
            }

            if (string.IsNullOrWhiteSpace(justification))
            {
                throw Error(item, $"the suppression of {rule} needs a 'justification': say why it does not apply");
            }

            into.Add(new Suppression(rule, justification)
            {
                Instance = string.IsNullOrEmpty(instance) ? null : instance,
                SourceContains = string.IsNullOrEmpty(source) ? null : source,
            });
        }
    }

    private static void ReadParameters(IConfigurationSection section, IDictionary<string, string> into)
    {
        foreach (var entry in section.GetChildren())
        {
            if (entry.Value is null)
            {
                // Nested: "GI3001": { "p95-limit": "1.5s" }.
                foreach (var parameter in entry.GetChildren())
                {
                    into[$"{entry.Key}.{parameter.Key}"] = parameter.Value ?? throw Error(parameter, $"expected a value for '{entry.Key}.{parameter.Key}'");
                }

                continue;
            }

            if (entry.Key.IndexOf('.', StringComparison.Ordinal) <= 0)
            {
                throw Error(entry, $"parameter '{entry.Key}' must be written as ID.name, e.g. GI3001.p95-limit");
            }

            into[entry.Key] = entry.Value;
        }
    }

    private static ConfiguredSeverity ParseSeverity(IConfigurationSection entry) => entry.Value!.Trim().ToLowerInvariant() switch
    {
        "critical" or "error" => ConfiguredSeverity.Critical,
        "warning" or "warn" => ConfiguredSeverity.Warning,
        "info" or "suggestion" => ConfiguredSeverity.Info,
        "none" or "off" or "silent" => ConfiguredSeverity.None,
        _ => throw Error(entry, $"unknown severity '{entry.Value}'; expected critical, warning, info or none"),
    };

    private static InsightConfigurationException Error(IConfigurationSection at, string problem) =>
        new(new SourceLocation(at.Path), problem);
}
