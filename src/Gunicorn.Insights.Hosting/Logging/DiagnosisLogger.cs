using System.Globalization;
using Gunicorn.Insights.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gunicorn.Insights.Hosting.Logging;

/// <summary>
/// Writes diagnoses through <c>ILogger</c>, one entry per diagnosis, so that Serilog, OpenTelemetry or any other
/// logging pipeline can route and query them: a stable <see cref="EventId"/> per rule (GI1002 → 1002, named
/// <c>GI1002</c>) and a message template whose properties are <c>RuleId</c>, <c>Severity</c>, <c>Category</c>,
/// <c>Instance</c>, <c>Message</c>, <c>Evidence</c> (<c>file:line</c> strings) and <c>HelpUri</c>.
/// Critical diagnoses are logged as errors, warnings as warnings, info as information, and suppressed diagnoses at
/// debug level with their justification.
/// </summary>
public sealed class DiagnosisLogger
{
    /// <summary>The logger category diagnoses are written under.</summary>
    public const string CategoryName = "Gunicorn.Insights.Diagnoses";

    /// <summary>The message template of a reported diagnosis.</summary>
    public const string DiagnosisTemplate =
        "{RuleId} {Severity} on {Instance}: {Message} (category {Category}; evidence {Evidence}; {HelpUri})";

    /// <summary>The message template of a suppressed diagnosis.</summary>
    public const string SuppressedTemplate =
        "{RuleId} {Severity} on {Instance} suppressed ({Justification}): {Message} (category {Category}; evidence {Evidence}; {HelpUri})";

    private readonly ILogger _logger;

    /// <summary>
    /// Creates the logger over <paramref name="loggerFactory"/>, under <see cref="CategoryName"/>; without one (a
    /// service collection with no logging) it writes nothing.
    /// </summary>
    public DiagnosisLogger(ILoggerFactory? loggerFactory = null) =>
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(CategoryName);

    /// <summary>The event ID of a rule: the number in its ID (GI1002 → 1002, 0 when it has none), named by the ID.</summary>
    public static EventId EventIdOf(string ruleId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ruleId);
        var digits = new string(ruleId.SkipWhile(c => !char.IsAsciiDigit(c)).TakeWhile(char.IsAsciiDigit).ToArray());
        return new EventId(int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0, ruleId);
    }

    /// <summary>The log level a diagnosis of <paramref name="severity"/> is written at.</summary>
    public static LogLevel LevelOf(Severity severity) => severity switch
    {
        Severity.Critical => LogLevel.Error,
        Severity.Warning => LogLevel.Warning,
        _ => LogLevel.Information,
    };

    /// <summary>Writes every diagnosis of <paramref name="result"/>, then the suppressed ones.</summary>
    public void Log(AnalysisResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var diagnosis in result.Diagnoses)
        {
            Log(diagnosis);
        }

        foreach (var diagnosis in result.SuppressedDiagnoses)
        {
            Log(diagnosis);
        }
    }

    /// <summary>Writes one diagnosis: at its severity's level, or at debug level with the justification when suppressed.</summary>
    public void Log(Diagnosis diagnosis)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        var evidence = diagnosis.Evidence.Select(e => e.Location.ToString()).ToArray();
        var severity = diagnosis.Severity.ToString().ToLowerInvariant();
        var help = diagnosis.Descriptor.HelpLinkUri?.ToString();
        var eventId = EventIdOf(diagnosis.Id);
        if (diagnosis.Suppression is { } suppression)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
            {
#pragma warning disable CA1848, CA2254 // The event ID varies per rule, which a LoggerMessage delegate cannot; the template is constant.
                _logger.Log(LogLevel.Debug, eventId, SuppressedTemplate, diagnosis.Id, severity, diagnosis.Instance, suppression.Justification,
                    diagnosis.Message, diagnosis.Descriptor.Category, evidence, help);
            }

            return;
        }

        var level = LevelOf(diagnosis.Severity);
        if (_logger.IsEnabled(level))
        {
            _logger.Log(level, eventId, DiagnosisTemplate, diagnosis.Id, severity, diagnosis.Instance, diagnosis.Message,
                diagnosis.Descriptor.Category, evidence, help);
#pragma warning restore CA1848, CA2254
        }
    }
}
