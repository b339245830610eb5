using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;

namespace Gunicorn.Insights;

/// <summary>
/// The outcome of one analysis: the diagnoses, the suppressed ones kept for audit, one reconciled recommendation per
/// setting, what each rule checked, and how much was analysed.
/// </summary>
/// <param name="Diagnoses">The diagnoses, most severe first.</param>
/// <param name="SuppressedDiagnoses">The diagnoses the user suppressed, each with its justification.</param>
/// <param name="Checks">Every reporting rule's outcome, so a clean report shows what was checked.</param>
/// <param name="FactCount">How many facts the session held at the end, derived facts included.</param>
public sealed record AnalysisResult(IReadOnlyList<Diagnosis> Diagnoses, IReadOnlyList<Diagnosis> SuppressedDiagnoses,
    IReadOnlyList<RuleCheck> Checks, int FactCount)
{
    /// <summary>One recommendation per setting and instance, merged from every diagnosis that constrains it.</summary>
    public IReadOnlyList<ReconciledRecommendation> Recommendations { get; } = RecommendationReconciler.Reconcile(Diagnoses);

    /// <summary>The most severe diagnosis' severity, or null when there is none.</summary>
    public Severity? HighestSeverity => Diagnoses.Count == 0 ? null : Diagnoses.Max(d => d.Severity);
}
