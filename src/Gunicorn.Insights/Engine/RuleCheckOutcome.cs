namespace Gunicorn.Insights.Engine;

/// <summary>What became of a reporting rule in a session.</summary>
public enum RuleCheckOutcome
{
    /// <summary>It reported at least one diagnosis.</summary>
    Fired,

    /// <summary>It had evidence to check and found nothing wrong.</summary>
    Passed,

    /// <summary>None of the facts it reads were present, so it could not check anything.</summary>
    NoEvidence,

    /// <summary>The user turned all its diagnoses off.</summary>
    Disabled,
}
