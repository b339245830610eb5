using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Monitoring;

/// <summary>A diagnosis that started or stopped holding at an update of an <see cref="InsightMonitor"/>.</summary>
/// <param name="Kind">Firing or resolved.</param>
/// <param name="Diagnosis">The diagnosis: as it is now when firing, as it last was when resolved.</param>
/// <param name="At">The time of the update that saw the change.</param>
public sealed record DiagnosisChange(DiagnosisChangeKind Kind, Diagnosis Diagnosis, DateTimeOffset At)
{
    /// <summary>Formats as <c>FIRING GI1001 critical: message</c>.</summary>
    public override string ToString() => $"{Kind.ToString().ToUpperInvariant()} {Diagnosis}";
}
