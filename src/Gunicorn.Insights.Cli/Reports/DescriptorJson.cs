using System.Text.Json;
using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Cli.Reports;

/// <summary>A rule's descriptor as JSON: the catalog's entries and the rule part of a diagnostic share it.</summary>
internal static class DescriptorJson
{
    /// <summary>Writes the remediation steps as an array named <c>remediation</c>.</summary>
    public static void WriteRemediation(Utf8JsonWriter writer, IReadOnlyList<RemediationStep> steps)
    {
        writer.WriteStartArray("remediation");
        foreach (var step in steps)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", KindName(step.Kind));
            writer.WriteString("text", step.Text);
            if (step.Setting is { } setting)
            {
                writer.WriteString("setting", setting);
            }

            if (step.RecommendedValue is { } value)
            {
                writer.WriteString("recommendedValue", value);
            }

            if (step.Command is { } command)
            {
                writer.WriteString("command", command);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>One catalog entry: the rule's identity, what it covers and how to fix what it finds.</summary>
    public static void WriteRule(Utf8JsonWriter writer, InsightDescriptor descriptor, Severity? configuredSeverity)
    {
        writer.WriteStartObject();
        writer.WriteString("id", descriptor.Id);
        writer.WriteString("title", descriptor.Title);
        writer.WriteString("category", descriptor.Category);
        writer.WriteString("defaultSeverity", SeverityNames.Of(descriptor.DefaultSeverity));
        JsonOutput.WriteStringOrNull(writer, "severity", configuredSeverity is { } severity ? SeverityNames.Of(severity) : null);

        writer.WriteBoolean("enabledByDefault", descriptor.IsEnabledByDefault);
        writer.WriteString("messageFormat", descriptor.MessageFormat);
        writer.WriteString("description", descriptor.Description);
        JsonOutput.WriteStrings(writer, "insights", descriptor.Insights);
        JsonOutput.WriteStrings(writer, "signatures", descriptor.Signatures);
        JsonOutput.WriteStrings(writer, "references", descriptor.References);
        WriteRemediation(writer, descriptor.Remediation);
        writer.WriteStartArray("parameters");
        foreach (var parameter in descriptor.Parameters)
        {
            writer.WriteStartObject();
            writer.WriteString("name", $"{descriptor.Id}.{parameter.Name}");
            writer.WriteString("kind", parameter.Kind.ToString().ToLowerInvariant());
            writer.WriteString("default", parameter.DefaultValue);
            writer.WriteString("description", parameter.Description);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        JsonOutput.WriteStringOrNull(writer, "helpUri", descriptor.HelpLinkUri?.ToString());

        writer.WriteEndObject();
    }

    private static string KindName(RemediationKind kind) => kind switch
    {
        RemediationKind.ChangeSetting => "change-setting",
        RemediationKind.RunCommand => "run-command",
        RemediationKind.Investigate => "investigate",
        RemediationKind.ChangeCode => "change-code",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
