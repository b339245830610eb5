using Gunicorn.Insights.Hosting.Logging;
using Microsoft.Extensions.Options;

namespace Gunicorn.Insights.Hosting;

/// <summary>
/// The latest analysis result of the host, which the health check reports on. Whatever produces results records them
/// here: a host calling <see cref="DeploymentAnalyzer.Analyze"/> on a schedule, or a continuous monitor publishing each
/// new result. Thread-safe; registered as a singleton.
/// </summary>
public sealed class LatestAnalysis
{
    private readonly DiagnosisLogger _logger;
    private readonly GunicornInsightsHostingOptions _options;
    private readonly TimeProvider _time;
    private RecordedAnalysis? _current;

    /// <summary>Creates the store.</summary>
    public LatestAnalysis(DiagnosisLogger logger, IOptions<GunicornInsightsHostingOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _logger = logger;
        _options = options.Value;
        _time = time;
    }

    /// <summary>The latest recorded result, or null before the first.</summary>
    public RecordedAnalysis? Current => Volatile.Read(ref _current);

    /// <summary>
    /// Makes <paramref name="result"/> the latest, and writes its diagnoses through <c>ILogger</c> when
    /// <see cref="GunicornInsightsHostingOptions.LogDiagnoses"/> is on.
    /// </summary>
    /// <returns>The record, with the time it was recorded.</returns>
    public RecordedAnalysis Record(AnalysisResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var recorded = new RecordedAnalysis(result, _time.GetUtcNow());
        Volatile.Write(ref _current, recorded);
        if (_options.LogDiagnoses)
        {
            _logger.Log(result);
        }

        return recorded;
    }
}
