using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Engine;

/// <summary>
/// One reporting rule's outcome in a session, so that a clean report shows what was checked (and against which
/// evidence) rather than looking the same as a report on no input at all.
/// </summary>
/// <param name="RuleName">The rule.</param>
/// <param name="Descriptors">What the rule can report.</param>
/// <param name="Outcome">Fired, passed, had no evidence, or was disabled.</param>
/// <param name="Evidence">For a passed rule, a few of the facts it checked.</param>
public sealed record RuleCheck(string RuleName, IReadOnlyList<InsightDescriptor> Descriptors, RuleCheckOutcome Outcome, IReadOnlyList<Evidence> Evidence);
