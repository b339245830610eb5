using System.Text.Json;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Cli.Reports;

/// <summary>
/// The report for programs, schema version 1 (docs/cli.md): <c>diagnostics</c>, <c>suppressed</c>,
/// <c>recommendations</c>, <c>checks</c>, <c>inputs</c>, <c>inputErrors</c> and a <c>summary</c>. Within version 1
/// properties are only ever added.
/// </summary>
internal static class JsonAnalysisReport
{
    public const string SchemaVersion = "1.0";

    public static void Write(TextWriter output, AnalysisReport report, Func<string, string> display) =>
        JsonOutput.Write(output, writer =>
        {
            var result = report.Result;
            writer.WriteStartObject();
            writer.WriteString("schemaVersion", SchemaVersion);
            writer.WriteStartObject("tool");
            writer.WriteString("name", report.Tool.Name);
            writer.WriteString("version", report.Tool.Version);
            writer.WriteEndObject();

            writer.WriteStartArray("diagnostics");
            foreach (var diagnosis in result.Diagnoses)
            {
                WriteDiagnosis(writer, diagnosis, display);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("suppressed");
            foreach (var diagnosis in result.SuppressedDiagnoses)
            {
                WriteDiagnosis(writer, diagnosis, display);
            }

            writer.WriteEndArray();
            WriteRecommendations(writer, result.Recommendations);
            WriteChecks(writer, result);
            WriteInputs(writer, report.Read, display);
            WriteInputErrors(writer, report.Read.Problems, display);

            writer.WriteStartObject("summary");
            foreach (var severity in Enum.GetValues<Severity>().OrderDescending())
            {
                writer.WriteNumber(SeverityNames.Of(severity), result.Diagnoses.Count(d => d.Severity == severity));
            }

            writer.WriteNumber("suppressed", result.SuppressedDiagnoses.Count);
            writer.WriteNumber("facts", result.FactCount);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });

    /// <summary>Input problems as <c>inputErrors</c>: each with its location, severity and message.</summary>
    public static void WriteInputErrors(Utf8JsonWriter writer, IReadOnlyList<InputDiagnostic> problems, Func<string, string> display)
    {
        writer.WriteStartArray("inputErrors");
        foreach (var problem in problems)
        {
            writer.WriteStartObject();
            JsonOutput.WriteLocation(writer, problem.Location, display);
            writer.WriteString("severity", SeverityNames.Of(problem.Severity));
            writer.WriteString("message", problem.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>What was read as <c>inputs</c>: each file with its kind, size, lines, observations and time span.</summary>
    public static void WriteInputs(Utf8JsonWriter writer, ReadResult read, Func<string, string> display)
    {
        writer.WriteStartArray("inputs");
        foreach (var input in read.Inputs)
        {
            writer.WriteStartObject();
            writer.WriteString("path", display(input.Path));
            writer.WriteString("kind", ArtifactKindCatalog.Of(input.Kind).Name);
            writer.WriteNumber("bytes", input.Bytes);
            writer.WriteNumber("lines", input.Lines);
            writer.WriteNumber("observations", input.Observations);
            JsonOutput.WriteTime(writer, "firstTimestamp", input.FirstTimestamp);
            JsonOutput.WriteTime(writer, "lastTimestamp", input.LastTimestamp);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteDiagnosis(Utf8JsonWriter writer, Diagnosis diagnosis, Func<string, string> display)
    {
        writer.WriteStartObject();
        writer.WriteString("id", diagnosis.Id);
        writer.WriteString("severity", SeverityNames.Of(diagnosis.Severity));
        writer.WriteString("title", diagnosis.Descriptor.Title);
        writer.WriteString("category", diagnosis.Descriptor.Category);
        writer.WriteString("message", diagnosis.Message);
        JsonOutput.WriteStringOrNull(writer, "instance", diagnosis.Instance);

        writer.WriteString("key", diagnosis.Key);
        writer.WriteString("rule", diagnosis.RuleName);
        writer.WriteStartArray("evidence");
        foreach (var evidence in diagnosis.Evidence)
        {
            writer.WriteStartObject();
            JsonOutput.WriteLocation(writer, evidence.Location, display);
            writer.WriteString("text", evidence.Text);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        DescriptorJson.WriteRemediation(writer, diagnosis.Descriptor.Remediation);
        writer.WriteStartArray("recommendations");
        foreach (var recommendation in diagnosis.Recommendations)
        {
            writer.WriteStartObject();
            writer.WriteString("setting", recommendation.Setting);
            writer.WriteString("scope", recommendation.Scope.ToString().ToLowerInvariant());
            writer.WriteString("kind", recommendation.Kind.ToString().ToLowerInvariant());
            writer.WriteString("value", recommendation.Value.Text);
            writer.WriteString("reason", recommendation.Reason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        JsonOutput.WriteStrings(writer, "related", diagnosis.Related);
        JsonOutput.WriteStringOrNull(writer, "helpUri", diagnosis.Descriptor.HelpLinkUri?.ToString());

        if (diagnosis.Suppression is { } suppression)
        {
            writer.WriteString("justification", suppression.Justification);
        }

        writer.WriteEndObject();
    }

    private static void WriteRecommendations(Utf8JsonWriter writer, IReadOnlyList<ReconciledRecommendation> recommendations)
    {
        writer.WriteStartArray("recommendations");
        foreach (var recommendation in recommendations)
        {
            writer.WriteStartObject();
            writer.WriteString("setting", recommendation.Setting);
            writer.WriteString("scope", recommendation.Scope.ToString().ToLowerInvariant());
            JsonOutput.WriteStringOrNull(writer, "instance", recommendation.Instance);
            JsonOutput.WriteStringOrNull(writer, "current", recommendation.Current?.Text);
            JsonOutput.WriteStringOrNull(writer, "proposed", recommendation.Proposed?.Text);
            JsonOutput.WriteStringOrNull(writer, "atLeast", recommendation.AtLeast?.Text);
            JsonOutput.WriteStringOrNull(writer, "atMost", recommendation.AtMost?.Text);
            writer.WriteBoolean("conflict", recommendation.IsConflict);
            JsonOutput.WriteStrings(writer, "rules", recommendation.Sources.Select(s => s.RuleId).Distinct());
            writer.WriteString("summary", recommendation.Summary);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteChecks(Utf8JsonWriter writer, AnalysisResult result)
    {
        writer.WriteStartArray("checks");
        foreach (var check in result.Checks)
        {
            writer.WriteStartObject();
            writer.WriteString("rule", check.RuleName);
            JsonOutput.WriteStrings(writer, "ids", check.Descriptors.Select(d => d.Id));
            writer.WriteString("outcome", check.Outcome switch
            {
                Engine.RuleCheckOutcome.NoEvidence => "no-evidence",
                var outcome => outcome.ToString().ToLowerInvariant(),
            });
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
