using System.CommandLine;
using System.Globalization;
using Gunicorn.Insights.Cli.Inputs;
using Gunicorn.Insights.Cli.Reports;
using Gunicorn.Insights.Cli.Terminal;

namespace Gunicorn.Insights.Cli.Commands;

/// <summary><c>observe PATH...</c>: what the readers extracted, before any rule.</summary>
internal static class ObserveCommand
{
    private const string Description = """
        Show what the readers extracted from the inputs, before any rule runs: each observation with its kind, source
        location (file:line) and values, and every request-duration distribution or histogram with its percentiles
        (Prometheus histogram_quantile semantics for bucketed histograms). Attach --format json output to a bug report
        to show what the tool saw.

        Examples:
          gunicorn-insights observe incident/
          gunicorn-insights observe access.log --quantiles 0.5,0.99
          gunicorn-insights observe incident/ --format json --output observations.json
        """;

    public static Command Create(CliConsole console)
    {
        var paths = CommonOptions.Paths("Files and folders to read (folders recursively, .gz included).");
        var kinds = CommonOptions.Kinds();
        var instance = CommonOptions.Instance();
        var format = CommonOptions.Format("Output format.", "text", "json");
        var quantiles = new Option<string>("--quantiles", "-q")
        {
            Description = "Comma-separated quantiles to compute for each request-duration distribution, each between 0 and 1.",
            DefaultValueFactory = _ => "0.5,0.9,0.95,0.99",
            HelpName = "Q,Q,...",
        };
        var output = CommonOptions.Output();
        var noProgress = CommonOptions.NoProgress();
        var command = new Command("observe", Description) { paths, kinds, instance, format, quantiles, output, noProgress };
        command.SetAction(parse =>
        {
            var chosen = ParseQuantiles(parse.GetValue(quantiles)!);
            var selection = InputSelection.From(parse.GetValue(paths) ?? [], parse.GetValue(kinds) ?? [], parse.GetValue(instance));
            using var destination = ReportDestination.Open(console, parse.GetValue(output));
            var json = parse.GetValue(format) == "json";
            var read = AnalyzeCommand.ReadWithProgress(console, selection, !json && !parse.GetValue(noProgress));
            if (json)
            {
                ObservationReport.WriteJson(destination.Writer, read, chosen, ToolInfo.Current, console.Display);
            }
            else
            {
                ObservationReport.WriteText(destination.Writer, read, chosen, destination.Palette(console), console.Display);
            }

            return ExitCodes.Clean;
        });
        return command;
    }

    internal static double[] ParseQuantiles(string text)
    {
        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var q) || q is < 0 or > 1 || double.IsNaN(q))
            {
                throw new UsageException($"--quantiles takes numbers between 0 and 1 separated by commas (e.g. 0.5,0.99), not '{part}'");
            }

            values.Add(q);
        }

        return values.Count > 0 ? values.Distinct().ToArray() : throw new UsageException("--quantiles needs at least one quantile");
    }
}
