using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Engine;

/// <summary>
/// Why a rule did or did not conclude on a session's facts: its outcome and, element by element, which conditions held
/// and where the matches ran out.
/// </summary>
/// <param name="RuleName">The rule's name.</param>
/// <param name="Descriptors">The diagnoses the rule can report.</param>
/// <param name="Check">The rule's outcome: fired, passed, no evidence or disabled.</param>
/// <param name="Conditions">Each element of the rule's left-hand side, in order.</param>
/// <param name="Matches">Complete matches of the rule's left-hand side.</param>
public sealed record RuleExplanation(string RuleName, IReadOnlyList<InsightDescriptor> Descriptors, RuleCheck Check,
    IReadOnlyList<ConditionTrace> Conditions, long Matches)
{
    /// <summary>The first element no partial match got past; null when the rule matched.</summary>
    public ConditionTrace? FirstUnmet => Conditions.FirstOrDefault(c => !c.Held);
}
