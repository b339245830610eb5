using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;

namespace Gunicorn.Insights.Rules.Tests.Dependencies;

/// <summary>Picks the insufficient-evidence notes (GI0003) that name one rule, since other categories' rules report GI0003 too.</summary>
internal static class InsufficientEvidenceNotes
{
    public static IEnumerable<Diagnosis> InsufficientEvidenceFor(this RuleSession session, string id) =>
        session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(id + " ", StringComparison.Ordinal));
}
