namespace Gunicorn.Insights.Hosting;

/// <summary>An analysis result as a host recorded it, with when.</summary>
/// <param name="Result">The result.</param>
/// <param name="RecordedAt">When it was recorded.</param>
public sealed record RecordedAnalysis(AnalysisResult Result, DateTimeOffset RecordedAt);
