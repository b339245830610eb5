namespace Gunicorn.Insights.Hosting;

/// <summary>What the host integration does besides analysing: bound from the <c>GunicornInsights</c> section too.</summary>
public sealed class GunicornInsightsHostingOptions
{
    /// <summary>
    /// Whether every analysis recorded in <see cref="LatestAnalysis"/> is also written through <c>ILogger</c>, one
    /// entry per diagnosis (<see cref="Logging.DiagnosisLogger"/>). Off by default: a host that logs its own way keeps
    /// full control.
    /// </summary>
    public bool LogDiagnoses { get; set; }
}
