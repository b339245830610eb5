namespace Gunicorn.Insights.Cli.Reports;

/// <summary>How a report is written.</summary>
internal enum ReportFormat
{
    /// <summary>For people: aligned, coloured on a terminal.</summary>
    Text,

    /// <summary>For programs: the documented, versioned JSON schema.</summary>
    Json,

    /// <summary>For code-scanning tools: SARIF 2.1.0.</summary>
    Sarif,
}
