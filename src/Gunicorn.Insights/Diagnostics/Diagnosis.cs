namespace Gunicorn.Insights.Diagnostics;

/// <summary>
/// One diagnosis: what a rule found, how severe it is as configured, the message with the evidence values, the
/// evidence with its locations, and links to diagnoses that share evidence with it.
/// </summary>
public sealed record Diagnosis
{
    /// <summary>Creates a diagnosis.</summary>
    public Diagnosis(InsightDescriptor descriptor, Severity severity, string message, IReadOnlyList<Evidence> evidence)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(evidence);
        Descriptor = descriptor;
        Severity = severity;
        Message = message;
        Evidence = evidence;
    }

    /// <summary>The rule's descriptor.</summary>
    public InsightDescriptor Descriptor { get; init; }

    /// <summary>The rule ID.</summary>
    public string Id => Descriptor.Id;

    /// <summary>The effective severity, after the user's configuration.</summary>
    public Severity Severity { get; init; }

    /// <summary>The formatted message naming the evidence values.</summary>
    public string Message { get; init; }

    /// <summary>The evidence, with locations.</summary>
    public IReadOnlyList<Evidence> Evidence { get; init; }

    /// <summary>The instance (host, pod) the diagnosis is about, when the evidence names one.</summary>
    public string? Instance { get; init; }

    /// <summary>A key unique within one result, e.g. <c>GI1001/web-1/1</c>; related diagnoses point at it.</summary>
    public string Key { get; init; } = "";

    /// <summary>The keys of other diagnoses that share evidence with this one.</summary>
    public IReadOnlyList<string> Related { get; init; } = [];

    /// <summary>What the diagnosis asks of settings, with their current values.</summary>
    public IReadOnlyList<SettingRecommendation> Recommendations { get; init; } = [];

    /// <summary>The rule (class) that reported it.</summary>
    public string RuleName { get; init; } = "";

    /// <summary>The suppression that applies, when the user suppressed it; suppressed diagnoses are kept for audit.</summary>
    public Configuration.Suppression? Suppression { get; init; }

    /// <summary>True when a suppression applies.</summary>
    public bool IsSuppressed => Suppression is not null;

    /// <summary>Formats as <c>GI1001 critical: message</c>.</summary>
    public override string ToString() => $"{Id} {Severity.ToString().ToLowerInvariant()}: {Message}";
}
