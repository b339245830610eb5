using System.Text;

namespace Gunicorn.Insights.Rules.Export;

/// <summary>
/// Writes alerting rules as a Prometheus rule file (YAML, one group named <see cref="GroupName"/>), ready for
/// <c>rule_files</c> and <c>promtool check rules</c>. Each rule is preceded by a comment naming the exporters it needs.
/// </summary>
public static class PrometheusRuleFile
{
    /// <summary>The name of the rule group.</summary>
    public const string GroupName = "gunicorn-insights";

    /// <summary>The rule file's text.</summary>
    public static string ToYaml(IReadOnlyList<PrometheusAlertRule> rules)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        Write(writer, rules);
        return writer.ToString();
    }

    /// <summary>Writes the rule file to <paramref name="writer"/>.</summary>
    public static void Write(TextWriter writer, IReadOnlyList<PrometheusAlertRule> rules)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rules);
        writer.Write("# Prometheus alerting rules for Gunicorn, exported by Gunicorn.Insights from its rule pack.\n");
        writer.Write("# Series of different exporters are joined on the 'instance' label: give a host the same one in every job.\n");
        writer.Write("groups:\n");
        writer.Write($"  - name: {GroupName}\n");
        writer.Write(rules.Count == 0 ? "    rules: []\n" : "    rules:\n");
        foreach (var rule in rules)
        {
            writer.Write($"      # {rule.Descriptor.Id} needs:\n");
            foreach (var exporter in rule.Exporters)
            {
                writer.Write($"      #   {exporter}\n");
            }

            writer.Write($"      - alert: {rule.Alert}\n");
            writer.Write("        expr: |-\n");
            foreach (var line in rule.Expression.ReplaceLineEndings("\n").Split('\n'))
            {
                writer.Write(line.Length == 0 ? "\n" : $"          {line.TrimEnd()}\n");
            }

            if (rule.For > TimeSpan.Zero)
            {
                writer.Write($"        for: {PromQl.Duration(rule.For)}\n");
            }

            writer.Write("        labels:\n");
            foreach (var (key, value) in rule.Labels)
            {
                writer.Write($"          {key}: {Quoted(value)}\n");
            }

            writer.Write("        annotations:\n");
            foreach (var (key, value) in rule.Annotations)
            {
                writer.Write($"          {key}: {Quoted(value)}\n");
            }
        }
    }

    /// <summary>A YAML double-quoted scalar: backslashes, quotes and control characters escaped.</summary>
    private static string Quoted(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }
}
