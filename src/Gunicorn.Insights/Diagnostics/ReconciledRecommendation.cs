using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Diagnostics;

/// <summary>
/// The one recommendation a report makes for a setting of an instance, merged from every diagnosis that constrains
/// it: the current value beside the proposed one (a value or a range), or a stated conflict when the diagnoses
/// disagree, never two contradictory recommendations.
/// </summary>
public sealed record ReconciledRecommendation
{
    /// <summary>The canonical setting name.</summary>
    public required string Setting { get; init; }

    /// <summary>The component the setting belongs to.</summary>
    public ConfigurationScope Scope { get; init; }

    /// <summary>The instance, or null for a single-host input.</summary>
    public string? Instance { get; init; }

    /// <summary>The current value, when known.</summary>
    public SettingValue? Current { get; init; }

    /// <summary>The exact value proposed, when one is.</summary>
    public SettingValue? Proposed { get; init; }

    /// <summary>The lowest acceptable value, when bounded below.</summary>
    public SettingValue? AtLeast { get; init; }

    /// <summary>The highest acceptable value, when bounded above.</summary>
    public SettingValue? AtMost { get; init; }

    /// <summary>True when the constraints cannot all hold; <see cref="Summary"/> says which diagnoses disagree.</summary>
    public bool IsConflict { get; init; }

    /// <summary>Every constraint that went into it, with the ID of the diagnosis that asked for it.</summary>
    public required IReadOnlyList<(string RuleId, SettingRecommendation Recommendation)> Sources { get; init; }

    /// <summary>One line: <c>timeout: 30 → between 60 and 25 (conflict: GI1002 needs ≥ 60 for slowest request 48 s; GI5001 needs ≤ 25 …)</c>.</summary>
    public string Summary
    {
        get
        {
            var current = Current is null ? "unknown" : Current.Text;
            string proposal;
            if (IsConflict)
            {
                proposal = "no value satisfies every diagnosis: "
                    + string.Join("; ", Sources.Select(s => $"{s.RuleId} needs {Describe(s.Recommendation)}"
                        + (s.Recommendation.Reason.Length > 0 ? $" ({s.Recommendation.Reason})" : "")));
            }
            else if (Proposed is not null)
            {
                proposal = Proposed.Text;
            }
            else
            {
                proposal = (AtLeast, AtMost) switch
                {
                    ({ } low, { } high) => $"between {low.Text} and {high.Text}",
                    ({ } low, null) => $"at least {low.Text}",
                    (null, { } high) => $"at most {high.Text}",
                    _ => current,
                };
            }

            return $"{Setting}{(Instance is null ? "" : $" on {Instance}")}: {current} → {proposal} (from {string.Join(", ", Sources.Select(s => s.RuleId).Distinct())})";
        }
    }

    private static string Describe(SettingRecommendation recommendation) => recommendation.Kind switch
    {
        RecommendationKind.AtLeast => $"≥ {recommendation.Value.Text}",
        RecommendationKind.AtMost => $"≤ {recommendation.Value.Text}",
        _ => $"= {recommendation.Value.Text}",
    };
}
