using System.Globalization;
using System.Text.Json;
using Gunicorn.Insights.Cli.Reports;
using Gunicorn.Insights.Monitoring;

namespace Gunicorn.Insights.Cli.Watching;

/// <summary>Writes one line per diagnosis change: text for people, or one JSON object per line (NDJSON) for programs.</summary>
internal sealed class ChangeWriter(TextWriter output, bool json, Func<string, string> display)
{
    public void Write(DiagnosisChange change)
    {
        output.WriteLine(json ? Json(change) : Text(change));
        output.Flush();
    }

    /// <summary><c>2026-11-24T03:10:00Z FIRING GI1001 critical: message (error.log:5)</c>.</summary>
    public string Text(DiagnosisChange change)
    {
        var diagnosis = change.Diagnosis;
        var text = $"{Time(change.At)} {State(change).ToUpperInvariant()} {diagnosis.Id} {Severity(change)}: {diagnosis.Message}";
        return diagnosis.Evidence.Count > 0 ? $"{text} ({Location(diagnosis.Evidence[0].Location)})" : text;
    }

    public string Json(DiagnosisChange change) => JsonOutput.Render(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("at", Time(change.At));
            writer.WriteString("state", State(change));
            writer.WriteString("id", change.Diagnosis.Id);
            writer.WriteString("severity", Severity(change));
            writer.WriteString("message", change.Diagnosis.Message);
            if (change.Diagnosis.Instance is { } instance)
            {
                writer.WriteString("instance", instance);
            }

            writer.WriteStartArray("evidence");
            foreach (var evidence in change.Diagnosis.Evidence)
            {
                writer.WriteStartObject();
                writer.WriteString("source", Location(evidence.Location));
                writer.WriteString("text", evidence.Text);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }, indented: false);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string State(DiagnosisChange change) => change.Kind == DiagnosisChangeKind.Firing ? "firing" : "resolved";

    private static string Severity(DiagnosisChange change) => SeverityNames.Of(change.Diagnosis.Severity);

    private string Location(Observations.SourceLocation location) => TextAnalysisReport.Location(location, display);
}
