using Gunicorn.Insights.Observations;

namespace Gunicorn.Insights.Engine;

/// <summary>
/// A finding one rule derives and others match (forward chaining), such as "the worker pool is saturated". It carries
/// the observations it was derived from, so a diagnosis that cites it cites them.
/// </summary>
public abstract record DerivedFact
{
    /// <summary>Creates a derived fact from <paramref name="evidence"/>.</summary>
    protected DerivedFact(IReadOnlyList<Observation> evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        Evidence = evidence;
        Instance = evidence.Select(o => o.Instance).Distinct().Count() == 1 ? evidence[0].Instance : null;
    }

    /// <summary>The observations the fact was derived from.</summary>
    public IReadOnlyList<Observation> Evidence { get; init; }

    /// <summary>The instance the fact is about, when all its evidence is about one.</summary>
    public string? Instance { get; init; }

    /// <summary>A one-line description of the finding.</summary>
    public abstract string Describe();
}
