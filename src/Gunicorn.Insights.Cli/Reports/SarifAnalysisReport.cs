using System.Text.Json;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Cli.Reports;

/// <summary>
/// The report for code-scanning tools: one SARIF 2.1.0 run whose driver lists every rule, whose results point at the
/// evidence's files and lines (the first piece of evidence as the location, the rest as related locations), with
/// suppressed diagnoses kept as suppressed results and input problems as tool notifications.
/// </summary>
internal static class SarifAnalysisReport
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
    private const string SourceRoot = "SRCROOT";

    public static void Write(TextWriter output, AnalysisReport report, IReadOnlyList<InsightDescriptor> rules,
        Func<InsightDescriptor, Severity?> configuredSeverity, string workingDirectory) =>
        JsonOutput.Write(output, writer =>
        {
            var ruleIndex = rules.Select((rule, index) => (rule.Id, index)).ToDictionary(x => x.Id, x => x.index, StringComparer.Ordinal);
            var uris = new ArtifactUris(workingDirectory);
            writer.WriteStartObject();
            writer.WriteString("$schema", SchemaUri);
            writer.WriteString("version", "2.1.0");
            writer.WriteStartArray("runs");
            writer.WriteStartObject();
            WriteTool(writer, report.Tool, rules, configuredSeverity);

            writer.WriteStartObject("originalUriBaseIds");
            writer.WriteStartObject(SourceRoot);
            writer.WriteString("uri", new Uri(Path.TrimEndingDirectorySeparator(workingDirectory) + "/").AbsoluteUri);
            writer.WriteEndObject();
            writer.WriteEndObject();

            writer.WriteStartArray("artifacts");
            foreach (var input in report.Read.Inputs)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("location");
                uris.WriteArtifactLocation(writer, input.Path);
                writer.WriteNumber("length", input.Bytes);
                writer.WriteStartObject("properties");
                writer.WriteString("kind", ArtifactKindCatalog.Of(input.Kind).Name);
                writer.WriteNumber("lines", input.Lines);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();

            writer.WriteStartArray("invocations");
            writer.WriteStartObject();
            writer.WriteBoolean("executionSuccessful", true);
            writer.WriteStartArray("toolExecutionNotifications");
            foreach (var problem in report.Read.Problems)
            {
                writer.WriteStartObject();
                writer.WriteString("level", problem.Severity == InputDiagnosticSeverity.Error ? "error" : "warning");
                WriteMessage(writer, "message", problem.Message);
                writer.WriteStartArray("locations");
                WriteLocation(writer, problem.Location, null, null, uris);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();

            writer.WriteStartArray("results");
            foreach (var diagnosis in report.Result.Diagnoses.Concat(report.Result.SuppressedDiagnoses))
            {
                WriteResult(writer, diagnosis, ruleIndex, uris);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    /// <summary>SARIF's level for a severity: error, warning or note.</summary>
    public static string Level(Severity severity) => severity switch
    {
        Severity.Critical => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    private static void WriteTool(Utf8JsonWriter writer, ToolInfo tool, IReadOnlyList<InsightDescriptor> rules,
        Func<InsightDescriptor, Severity?> configuredSeverity)
    {
        writer.WriteStartObject("tool");
        writer.WriteStartObject("driver");
        writer.WriteString("name", tool.Name);
        writer.WriteString("version", tool.Version);
        writer.WriteString("semanticVersion", tool.Version);
        writer.WriteString("informationUri", ToolInfo.InformationUri);
        writer.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            writer.WriteStartObject();
            writer.WriteString("id", rule.Id);
            writer.WriteString("name", Identifier(rule.Title));
            WriteMessage(writer, "shortDescription", rule.Title);
            WriteMessage(writer, "fullDescription", rule.Description.Length > 0 ? rule.Description : rule.Title);
            WriteMessage(writer, "help", rule.Remediation.Count > 0
                ? string.Join(Environment.NewLine, rule.Remediation.Select(step => "- " + step.Text))
                : rule.Title);
            if (rule.HelpLinkUri is { } help)
            {
                writer.WriteString("helpUri", help.ToString());
            }

            var severity = configuredSeverity(rule);
            writer.WriteStartObject("defaultConfiguration");
            writer.WriteBoolean("enabled", severity is not null);
            writer.WriteString("level", Level(severity ?? rule.DefaultSeverity));
            writer.WriteEndObject();
            writer.WriteStartObject("properties");
            writer.WriteString("category", rule.Category);
            JsonOutput.WriteStrings(writer, "tags", ["gunicorn", rule.Category]);
            JsonOutput.WriteStrings(writer, "insights", rule.Insights);
            JsonOutput.WriteStrings(writer, "references", rule.References);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter writer, Diagnosis diagnosis, Dictionary<string, int> ruleIndex, ArtifactUris uris)
    {
        writer.WriteStartObject();
        writer.WriteString("ruleId", diagnosis.Id);
        if (ruleIndex.TryGetValue(diagnosis.Id, out var index))
        {
            writer.WriteNumber("ruleIndex", index);
        }

        writer.WriteString("level", Level(diagnosis.Severity));
        WriteMessage(writer, "message", diagnosis.Message);
        var located = diagnosis.Evidence.Where(e => uris.IsFile(e.Location)).ToArray();
        writer.WriteStartArray("locations");
        if (located.Length > 0)
        {
            WriteLocation(writer, located[0].Location, null, located[0].Text, uris);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("relatedLocations");
        for (var i = 1; i < located.Length; i++)
        {
            WriteLocation(writer, located[i].Location, i, located[i].Text, uris);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("partialFingerprints");
        writer.WriteString("gunicornInsightsKey/v1", diagnosis.Key.Length > 0 ? diagnosis.Key : diagnosis.Id);
        writer.WriteEndObject();
        if (diagnosis.Suppression is { } suppression)
        {
            writer.WriteStartArray("suppressions");
            writer.WriteStartObject();
            writer.WriteString("kind", "external");
            writer.WriteString("justification", suppression.Justification);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        writer.WriteStartObject("properties");
        writer.WriteString("severity", SeverityNames.Of(diagnosis.Severity));
        if (diagnosis.Instance is { } instance)
        {
            writer.WriteString("instance", instance);
        }

        JsonOutput.WriteStrings(writer, "evidence", diagnosis.Evidence.Select(e => e.ToString()));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteLocation(Utf8JsonWriter writer, SourceLocation location, int? id, string? text, ArtifactUris uris)
    {
        writer.WriteStartObject();
        if (id is { } number)
        {
            writer.WriteNumber("id", number);
        }

        writer.WriteStartObject("physicalLocation");
        writer.WritePropertyName("artifactLocation");
        uris.WriteArtifactLocation(writer, location.Source);
        if (location.Line is { } line and > 0)
        {
            writer.WriteStartObject("region");
            writer.WriteNumber("startLine", line);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        if (text is not null)
        {
            WriteMessage(writer, "message", text);
        }

        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, string name, string text)
    {
        writer.WriteStartObject(name);
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    /// <summary>A title as a SARIF rule name: its words joined in PascalCase.</summary>
    private static string Identifier(string title) =>
        string.Concat(title.Split([' ', '-', '/', '(', ')', ',', '.', '%', ':'], StringSplitOptions.RemoveEmptyEntries)
            .Select(word => char.ToUpperInvariant(word[0]) + word[1..]));

    /// <summary>Artifact URIs relative to the working directory where possible, as code-scanning tools want them.</summary>
    private sealed class ArtifactUris(string workingDirectory)
    {
        public bool IsFile(SourceLocation location) => location.Line is not null || File.Exists(location.Source);

        public void WriteArtifactLocation(Utf8JsonWriter writer, string path)
        {
            writer.WriteStartObject();
            var full = Path.GetFullPath(path, workingDirectory);
            var relative = Path.GetRelativePath(workingDirectory, full);
            if (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
            {
                writer.WriteString("uri", string.Join('/', relative.Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString)));
                writer.WriteString("uriBaseId", SourceRoot);
            }
            else
            {
                writer.WriteString("uri", new Uri(full).AbsoluteUri);
            }

            writer.WriteEndObject();
        }
    }
}
