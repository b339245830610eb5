namespace Gunicorn.Insights.Configuration;

/// <summary>A severity the user sets for a rule or a category, or <see cref="None"/> to turn it off.</summary>
public enum ConfiguredSeverity
{
    /// <summary>The rule does not report.</summary>
    None = 0,

    /// <summary>Report as <see cref="Diagnostics.Severity.Info"/>.</summary>
    Info = 1,

    /// <summary>Report as <see cref="Diagnostics.Severity.Warning"/>.</summary>
    Warning = 2,

    /// <summary>Report as <see cref="Diagnostics.Severity.Critical"/>.</summary>
    Critical = 3,
}
