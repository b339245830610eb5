namespace Gunicorn.Insights.Diagnostics;

/// <summary>How serious a diagnosis is. Members are ordered: a greater value is more severe.</summary>
public enum Severity
{
    /// <summary>Worth knowing; no action needed now.</summary>
    Info = 1,

    /// <summary>Degrades the deployment or will under load.</summary>
    Warning = 2,

    /// <summary>Requests fail or workers die.</summary>
    Critical = 3,
}
