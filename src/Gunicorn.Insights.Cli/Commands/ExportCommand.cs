using System.CommandLine;
using Gunicorn.Insights.Cli.Terminal;
using Gunicorn.Insights.Rules.Export;

namespace Gunicorn.Insights.Cli.Commands;

/// <summary><c>export prometheus-rules</c>: the metric-based rules as a Prometheus alerting-rule file.</summary>
internal static class ExportCommand
{
    private const string Description = """
        Export the rules in another tool's format.

        Examples:
          gunicorn-insights export prometheus-rules --output gunicorn-insights.rules.yml
          gunicorn-insights export prometheus-rules --config insights.json
        """;

    private const string PrometheusDescription = """
        Write the metric-based rules (GI3001, GI3002, GI2003, GI2007, GI6006, GI6007) as Prometheus alerting rules:
        PromQL over Gunicorn's request-duration histogram, its StatsD metrics through statsd_exporter and
        node_exporter's CPU, memory and swap metrics, each alert labelled rule_id and severity and annotated with
        title, summary and help_url. Thresholds are the rules' parameters and severities the configured ones
        (--config); a rule turned off is left out. Check the file with `promtool check rules FILE`.

        Examples:
          gunicorn-insights export prometheus-rules --output /etc/prometheus/rules/gunicorn-insights.yml
          gunicorn-insights export prometheus-rules --config insights.json
        """;

    public static Command Create(CliConsole console)
    {
        var config = CommonOptions.Config();
        var output = CommonOptions.Output();
        output.Description = "Write the rule file to FILE instead of standard output.";
        var prometheus = new Command("prometheus-rules", PrometheusDescription) { config, output };
        prometheus.SetAction(parse =>
        {
            // The analyzer checks the configuration file as every command does: its errors name the file and line.
            var analyzer = RuleServices.CreateAnalyzer(parse.GetValue(config));
            var rules = PrometheusAlertingRules.Create(analyzer.Configuration);
            using var destination = ReportDestination.Open(console, parse.GetValue(output));
            PrometheusRuleFile.Write(destination.Writer, rules);
            if (parse.GetValue(output) is { } path)
            {
                console.Error.WriteLine($"{rules.Count} alerting rule(s) written to {path}.");
            }

            return ExitCodes.Clean;
        });
        return new Command("export", Description) { prometheus };
    }
}
