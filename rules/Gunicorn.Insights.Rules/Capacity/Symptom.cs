namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>What a capacity rule found in the evidence, how much of it there was, and the facts that show it.</summary>
internal enum SymptomVerdict
{
    /// <summary>The evidence shows the symptom.</summary>
    Found,

    /// <summary>The evidence shows there is no symptom.</summary>
    Absent,

    /// <summary>There is evidence, but too little to tell.</summary>
    TooFew,

    /// <summary>There is no evidence at all.</summary>
    Unknown,
}

/// <summary>One reading of the evidence: the verdict, a phrase for the message, and the facts to cite.</summary>
/// <param name="Verdict">What the evidence says.</param>
/// <param name="Text">The phrase a message shows (what was found, or what was seen when too little).</param>
/// <param name="Evidence">The facts to cite.</param>
internal sealed record Symptom(SymptomVerdict Verdict, string Text, IReadOnlyList<object> Evidence)
{
    /// <summary>No evidence.</summary>
    public static Symptom Unknown { get; } = new(SymptomVerdict.Unknown, "", []);

    /// <summary>True when the symptom was found.</summary>
    public bool IsFound => Verdict == SymptomVerdict.Found;
}
