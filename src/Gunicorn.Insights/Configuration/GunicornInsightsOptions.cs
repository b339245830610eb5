using System.Reflection;

namespace Gunicorn.Insights.Configuration;

/// <summary>
/// Options for <c>AddGunicornInsights</c>: which rules to load and how the user configured them. Fluent methods
/// return the options so a host can chain them.
/// </summary>
public sealed class GunicornInsightsOptions
{
    /// <summary>The assembly name of the built-in rule pack.</summary>
    public const string BuiltInRulePackAssembly = "Gunicorn.Insights.Rules";

    /// <summary>Whether to load the built-in rule pack (the <c>Gunicorn.Insights.Rules</c> package). Default true.</summary>
    public bool IncludeBuiltInRules { get; set; } = true;

    /// <summary>Further assemblies whose rules are loaded beside the built-in pack.</summary>
    public IList<Assembly> RuleAssemblies { get; } = [];

    /// <summary>Severity per rule ID.</summary>
    public IDictionary<string, ConfiguredSeverity> Rules { get; } =
        new Dictionary<string, ConfiguredSeverity>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Severity per category.</summary>
    public IDictionary<string, ConfiguredSeverity> Categories { get; } =
        new Dictionary<string, ConfiguredSeverity>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Suppressions, each with a justification.</summary>
    public IList<Suppression> Suppressions { get; } = [];

    /// <summary>Rule parameters keyed <c>ID.name</c>, e.g. <c>GI3001.p95-limit</c> = <c>1.5s</c>.</summary>
    public IDictionary<string, string> Parameters { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>A configuration file (<see cref="InsightConfigurationFile"/> format) applied before the settings made in code.</summary>
    public string? ConfigurationFile { get; set; }

    /// <summary>Loads the rules of <paramref name="assembly"/> beside the built-in pack.</summary>
    public GunicornInsightsOptions AddRulesFrom(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        if (!RuleAssemblies.Contains(assembly))
        {
            RuleAssemblies.Add(assembly);
        }

        return this;
    }

    /// <summary>Loads the rules of the assembly that defines <typeparamref name="T"/>.</summary>
    public GunicornInsightsOptions AddRulesFromAssemblyContaining<T>() => AddRulesFrom(typeof(T).Assembly);

    /// <summary>Sets the severity of one rule (or turns it off with <see cref="ConfiguredSeverity.None"/>).</summary>
    public GunicornInsightsOptions SetSeverity(string ruleId, ConfiguredSeverity severity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ruleId);
        Rules[ruleId] = severity;
        return this;
    }

    /// <summary>Sets the severity of every rule of a category that has no setting of its own.</summary>
    public GunicornInsightsOptions SetCategorySeverity(string category, ConfiguredSeverity severity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        Categories[category] = severity;
        return this;
    }

    /// <summary>Sets a rule parameter, e.g. <c>SetParameter("GI3001", "p95-limit", "1.5s")</c>.</summary>
    public GunicornInsightsOptions SetParameter(string ruleId, string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ruleId);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        Parameters[$"{ruleId}.{name}"] = value;
        return this;
    }

    /// <summary>Suppresses a rule's diagnoses, optionally for one instance only, saying why.</summary>
    public GunicornInsightsOptions Suppress(string ruleId, string justification, string? instance = null)
    {
        Suppressions.Add(new Suppression(ruleId, justification) { Instance = instance });
        return this;
    }

    /// <summary>
    /// The immutable configuration these options describe: the configuration file's settings first, then the ones
    /// made in code, which win.
    /// </summary>
    /// <exception cref="InsightConfigurationException">The configuration file cannot be read or is invalid.</exception>
    public InsightConfiguration ToConfiguration()
    {
        var fromFile = ConfigurationFile is null ? InsightConfiguration.Default : InsightConfigurationFile.Load(ConfigurationFile);
        var rules = new Dictionary<string, ConfiguredSeverity>(fromFile.RuleSeverities, StringComparer.OrdinalIgnoreCase);
        var categories = new Dictionary<string, ConfiguredSeverity>(fromFile.CategorySeverities, StringComparer.OrdinalIgnoreCase);
        foreach (var (id, severity) in Rules)
        {
            rules[id] = severity;
        }

        foreach (var (category, severity) in Categories)
        {
            categories[category] = severity;
        }

        var parameters = new Dictionary<string, string>(fromFile.Parameters, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in Parameters)
        {
            parameters[key] = value;
        }

        return new InsightConfiguration(rules, categories, [.. fromFile.Suppressions, .. Suppressions], parameters);
    }
}
