namespace Gunicorn.Insights.Monitoring;

/// <summary>Whether a diagnosis started or stopped holding, like an alert's state.</summary>
public enum DiagnosisChangeKind
{
    /// <summary>The diagnosis holds now and did not before.</summary>
    Firing,

    /// <summary>The diagnosis held before and does not any more (its evidence left the window or was replaced).</summary>
    Resolved,
}
