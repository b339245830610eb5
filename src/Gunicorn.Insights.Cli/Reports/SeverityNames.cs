using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Cli.Reports;

/// <summary>Severities as the tool spells them in every format: <c>critical</c>, <c>warning</c>, <c>info</c>, <c>error</c>.</summary>
internal static class SeverityNames
{
    public static string Of(Severity severity) => severity.ToString().ToLowerInvariant();

    public static string Of(InputDiagnosticSeverity severity) => severity.ToString().ToLowerInvariant();
}
