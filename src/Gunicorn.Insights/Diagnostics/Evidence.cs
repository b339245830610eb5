using Gunicorn.Insights.Observations;

namespace Gunicorn.Insights.Diagnostics;

/// <summary>One piece of evidence behind a diagnosis: where it was found and what it says.</summary>
/// <param name="Location">The file and line (or host source) it was read from.</param>
/// <param name="Text">What was observed there.</param>
public sealed record Evidence(SourceLocation Location, string Text)
{
    /// <summary>The observation or derived fact this evidence stands for, when there is one.</summary>
    public object? Fact { get; init; }

    /// <summary>Evidence for an observation: its location and its description.</summary>
    public static Evidence Of(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return new Evidence(observation.Source, observation.Describe()) { Fact = observation };
    }

    /// <summary>Formats as <c>file:line: text</c>.</summary>
    public override string ToString() => $"{Location}: {Text}";
}
