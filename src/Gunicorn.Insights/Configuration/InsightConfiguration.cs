using System.Collections.Frozen;
using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Configuration;

/// <summary>
/// The user's configuration of the rules: severity per rule ID and per category (raise, lower or turn off) and
/// suppressions with justifications. A rule's own setting wins over its category's, which wins over the default.
/// Immutable; build it with <see cref="GunicornInsightsOptions"/> or read it with <see cref="InsightConfigurationFile"/>.
/// </summary>
public sealed class InsightConfiguration
{
    /// <summary>Creates a configuration.</summary>
    public InsightConfiguration(
        IReadOnlyDictionary<string, ConfiguredSeverity>? ruleSeverities = null,
        IReadOnlyDictionary<string, ConfiguredSeverity>? categorySeverities = null,
        IReadOnlyList<Suppression>? suppressions = null,
        IReadOnlyDictionary<string, string>? parameters = null)
    {
        RuleSeverities = (ruleSeverities ?? new Dictionary<string, ConfiguredSeverity>())
            .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        CategorySeverities = (categorySeverities ?? new Dictionary<string, ConfiguredSeverity>())
            .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Suppressions = suppressions?.ToArray() ?? [];
        Parameters = (parameters ?? new Dictionary<string, string>()).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every rule at its default severity, nothing suppressed.</summary>
    public static InsightConfiguration Default { get; } = new();

    /// <summary>Severity per rule ID.</summary>
    public IReadOnlyDictionary<string, ConfiguredSeverity> RuleSeverities { get; }

    /// <summary>Severity per category.</summary>
    public IReadOnlyDictionary<string, ConfiguredSeverity> CategorySeverities { get; }

    /// <summary>The suppressions, in the order given.</summary>
    public IReadOnlyList<Suppression> Suppressions { get; }

    /// <summary>Rule parameters set by the user, keyed <c>ID.name</c> (e.g. <c>GI3001.p95-limit</c>), as written.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>
    /// The severity a diagnosis of <paramref name="descriptor"/> is reported with, or null when the rule is turned off.
    /// </summary>
    public Severity? EffectiveSeverity(InsightDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ConfiguredSeverity configured;
        if (RuleSeverities.TryGetValue(descriptor.Id, out var byRule))
        {
            configured = byRule;
        }
        else if (CategorySeverities.TryGetValue(descriptor.Category, out var byCategory))
        {
            configured = byCategory;
        }
        else
        {
            return descriptor.IsEnabledByDefault ? descriptor.DefaultSeverity : null;
        }

        return configured == ConfiguredSeverity.None ? null : (Severity)(int)configured;
    }

    /// <summary>The first suppression that applies to <paramref name="diagnosis"/>, if any.</summary>
    public Suppression? FindSuppression(Diagnosis diagnosis)
    {
        foreach (var suppression in Suppressions)
        {
            if (suppression.AppliesTo(diagnosis))
            {
                return suppression;
            }
        }

        return null;
    }
}
