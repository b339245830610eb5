using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Configuration;

/// <summary>
/// Silences one rule's diagnoses, for everything or for one instance or source, with a written justification that
/// stays attached to the suppressed diagnosis for audit.
/// </summary>
public sealed record Suppression
{
    /// <summary>Creates a suppression.</summary>
    /// <exception cref="ArgumentException">The justification is empty: a suppression must say why.</exception>
    public Suppression(string ruleId, string justification)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ruleId);
        if (string.IsNullOrWhiteSpace(justification))
        {
            throw new ArgumentException($"The suppression of {ruleId} needs a justification: say why it does not apply.", nameof(justification));
        }

        RuleId = ruleId;
        Justification = justification;
    }

    /// <summary>The rule ID it silences.</summary>
    public string RuleId { get; init; }

    /// <summary>Why the diagnosis does not apply.</summary>
    public string Justification { get; init; }

    /// <summary>Only diagnoses about this instance; null for every instance.</summary>
    public string? Instance { get; init; }

    /// <summary>Only diagnoses with evidence from a source containing this text (e.g. a file name); null for any.</summary>
    public string? SourceContains { get; init; }

    /// <summary>Whether this suppression applies to <paramref name="diagnosis"/>.</summary>
    public bool AppliesTo(Diagnosis diagnosis)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        return string.Equals(diagnosis.Id, RuleId, StringComparison.OrdinalIgnoreCase)
            && (Instance is null || string.Equals(diagnosis.Instance, Instance, StringComparison.Ordinal))
            && (SourceContains is null
                || diagnosis.Evidence.Any(e => e.Location.Source.Contains(SourceContains, StringComparison.Ordinal)));
    }
}
