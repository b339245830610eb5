using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Engine;

/// <summary>The engine's own diagnoses, reported like any rule's so that a failing rule never goes unnoticed.</summary>
public static class EngineDescriptors
{
    /// <summary>GI0001: a rule threw. The session goes on without that match; the rule's author should fix it.</summary>
    public static InsightDescriptor RuleThrew { get; } = new(
        "GI0001",
        "A rule threw an exception",
        "Rule '{0}' threw {1} while {2} ({3} time(s)): {4}",
        InsightCategory.Engine,
        Severity.Warning)
    {
        Description = "A rule's condition or action threw. The session treated the failing match as not matching and went on "
            + "with every other rule, so the other diagnoses are complete, but this rule may have missed a problem.",
        References = ["rule engine"],
        Remediation =
        [
            new RemediationStep(RemediationKind.ChangeCode,
                "Fix the rule (or report it to its author with the exception and the evidence shown)."),
        ],
    };

    /// <summary>GI0002: the firing limit was reached, which means rules keep re-triggering each other.</summary>
    public static InsightDescriptor FiringLimitReached { get; } = new(
        "GI0002",
        "Rules kept re-triggering each other",
        "The session stopped after {0} rule firings; rule '{1}' was firing when the limit was reached",
        InsightCategory.Engine,
        Severity.Critical)
    {
        Description = "Forward chaining did not settle: rules inserted or updated facts that activated rules again without end. "
            + "The session stopped so that the analysis finishes; its diagnoses are incomplete.",
        References = ["forward chaining"],
        Remediation =
        [
            new RemediationStep(RemediationKind.ChangeCode,
                "Make the named rule's derived facts depend only on facts it does not itself change."),
        ],
    };

    /// <summary>
    /// GI0003: a rule saw some of its evidence but too little to conclude either way. Rules report it, naming
    /// themselves, what they saw and what would settle the question, instead of firing or staying silent on noise.
    /// </summary>
    public static InsightDescriptor InsufficientEvidence { get; } = new(
        "GI0003",
        "Not enough evidence to conclude",
        "{0} could not conclude: {1}; {2}",
        InsightCategory.Engine,
        Severity.Info)
    {
        Description = "A rule found part of the evidence it needs (a few requests, a short log, a setting without the "
            + "metric that would confirm it) but too little to tell a problem from noise. It says what it saw and what to "
            + "supply so that the next analysis can conclude.",
        References = ["data sufficiency"],
        Remediation =
        [
            new RemediationStep(RemediationKind.Investigate,
                "Supply the evidence the message names (a longer log, the access log with rt=%(L)s, a metrics snapshot) and analyse again."),
        ],
    };

    /// <summary>Every engine descriptor.</summary>
    public static IReadOnlyList<InsightDescriptor> All { get; } = [RuleThrew, FiringLimitReached, InsufficientEvidence];
}
