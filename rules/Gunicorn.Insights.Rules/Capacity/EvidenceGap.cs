namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>What a capacity rule saw and what would let it conclude, for a GI0003 report.</summary>
/// <param name="Saw">What the rule saw.</param>
/// <param name="Supply">What to supply so that the next analysis can conclude.</param>
/// <param name="Evidence">The facts it saw, cited as evidence.</param>
internal sealed record EvidenceGap(string Saw, string Supply, IReadOnlyList<object> Evidence);
