using System.CommandLine;
using Gunicorn.Insights.Cli.Reports;
using Gunicorn.Insights.Cli.Terminal;

namespace Gunicorn.Insights.Cli.Commands;

/// <summary><c>rules</c>: the catalog of every rule the tool runs.</summary>
internal static class RulesCommand
{
    private const string Description = """
        List every rule: ID, default severity (and the configured one with --config), category and title. With
        --format json, a JSON array with one object per rule: id, title, category, defaultSeverity, severity, insights,
        signatures, references, remediation, parameters, helpUri.

        Examples:
          gunicorn-insights rules
          gunicorn-insights rules --format json
          gunicorn-insights rules --config insights.json
        """;

    public static Command Create(CliConsole console)
    {
        var format = CommonOptions.Format("Output format.", "text", "json");
        var config = CommonOptions.Config();
        var command = new Command("rules", Description) { format, config };
        command.SetAction(parse =>
        {
            var analyzer = RuleServices.CreateAnalyzer(parse.GetValue(config));
            var rules = analyzer.SessionFactory.Descriptors;
            if (parse.GetValue(format) == "json")
            {
                JsonOutput.Write(console.Output, writer =>
                {
                    writer.WriteStartArray();
                    foreach (var rule in rules)
                    {
                        DescriptorJson.WriteRule(writer, rule, analyzer.Configuration.EffectiveSeverity(rule));
                    }

                    writer.WriteEndArray();
                });
                return ExitCodes.Clean;
            }

            var palette = new Palette(console.OutputIsTerminal && console.ColourAllowed);
            var categoryWidth = rules.Max(r => r.Category.Length);
            foreach (var rule in rules)
            {
                var configured = analyzer.Configuration.EffectiveSeverity(rule);
                var severity = configured is { } s ? SeverityNames.Of(s) : "off";
                var shown = configured is { } level ? palette.Severity(level, severity.PadRight(8)) : palette.Dim(severity.PadRight(8));
                console.Output.WriteLine($"{palette.Bold(rule.Id)}  {shown}  {rule.Category.PadRight(categoryWidth)}  {rule.Title}");
            }

            console.Output.WriteLine();
            console.Output.WriteLine($"{rules.Count} rules. `gunicorn-insights explain ID` shows a rule's page.");
            return ExitCodes.Clean;
        });
        return command;
    }
}
