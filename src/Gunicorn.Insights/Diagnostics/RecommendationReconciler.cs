using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Diagnostics;

/// <summary>
/// Merges the setting recommendations of a report's diagnoses into one per setting and instance: the tightest lower
/// and upper bounds, an exact value when one is asked for and fits the bounds, and an explicit conflict otherwise.
/// </summary>
public static class RecommendationReconciler
{
    /// <summary>The reconciled recommendations of <paramref name="diagnoses"/>, by instance then setting.</summary>
    public static IReadOnlyList<ReconciledRecommendation> Reconcile(IEnumerable<Diagnosis> diagnoses)
    {
        ArgumentNullException.ThrowIfNull(diagnoses);
        return diagnoses
            .Where(d => !d.IsSuppressed)
            .SelectMany(d => d.Recommendations.Select(r => (d.Id, d.Instance, Recommendation: r)))
            .GroupBy(x => (x.Instance, x.Recommendation.Scope, x.Recommendation.Setting))
            .OrderBy(g => g.Key.Instance, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Setting, StringComparer.Ordinal)
            .Select(g => Merge(g.Key.Instance, g.Key.Scope, g.Key.Setting, g.Select(x => (x.Id, x.Recommendation)).ToArray()))
            .ToArray();
    }

    private static ReconciledRecommendation Merge(string? instance, ConfigurationScope scope, string setting,
        (string RuleId, SettingRecommendation Recommendation)[] sources)
    {
        var recommendations = sources.Select(s => s.Recommendation).ToArray();
        var lower = recommendations.Where(r => r.Kind == RecommendationKind.AtLeast).Select(r => r.Value).MaxBy(Magnitude);
        var upper = recommendations.Where(r => r.Kind == RecommendationKind.AtMost).Select(r => r.Value).MinBy(Magnitude);
        var exact = recommendations.Where(r => r.Kind == RecommendationKind.Exactly).Select(r => r.Value).Distinct().ToArray();

        var conflict = exact.Length > 1
            || (lower is not null && upper is not null && Magnitude(lower) > Magnitude(upper))
            || (exact.Length == 1 && ((lower is not null && Magnitude(exact[0]) < Magnitude(lower)) || (upper is not null && Magnitude(exact[0]) > Magnitude(upper))));

        return new ReconciledRecommendation
        {
            Setting = setting,
            Scope = scope,
            Instance = instance,
            Current = recommendations.Select(r => r.Current).FirstOrDefault(c => c is not null),
            Proposed = conflict || exact.Length == 0 ? null : exact[0],
            AtLeast = conflict ? null : lower,
            AtMost = conflict ? null : upper,
            IsConflict = conflict,
            Sources = sources,
        };
    }

    /// <summary>Orders values of one setting: durations by length, integers by value; text has no order.</summary>
    private static double Magnitude(SettingValue value) =>
        value.TryGetDuration(out var duration) ? duration.TotalSeconds
        : value.TryGetInteger(out var integer) ? integer
        : double.NaN;
}
