using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Cli.Reports;

/// <summary>Everything one <c>analyze</c> run produced: what was read and what the rules concluded.</summary>
internal sealed record AnalysisReport(ReadResult Read, AnalysisResult Result, ToolInfo Tool);
