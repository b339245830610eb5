using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights;

/// <summary>The outcome of one analysis: the diagnoses, the suppressed ones kept for audit, and how much was analysed.</summary>
/// <param name="Diagnoses">The diagnoses, most severe first.</param>
/// <param name="SuppressedDiagnoses">The diagnoses the user suppressed, each with its justification.</param>
/// <param name="FactCount">How many facts the session held at the end, derived facts included.</param>
public sealed record AnalysisResult(IReadOnlyList<Diagnosis> Diagnoses, IReadOnlyList<Diagnosis> SuppressedDiagnoses, int FactCount)
{
    /// <summary>The most severe diagnosis' severity, or null when there is none.</summary>
    public Severity? HighestSeverity => Diagnoses.Count == 0 ? null : Diagnoses.Max(d => d.Severity);
}
