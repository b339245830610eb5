using System.CommandLine;
using Gunicorn.Insights.Cli.Inputs;
using Gunicorn.Insights.Cli.Reports;
using Gunicorn.Insights.Cli.Terminal;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Cli.Commands;

/// <summary><c>analyze PATH...</c>: read the artifacts, run the rules, report the diagnoses.</summary>
internal static class AnalyzeCommand
{
    private const string Description = """
        Read a deployment's artifacts (logs, configuration, metrics, host tool output) and diagnose it: each diagnosis with
        its rule ID, severity, message, evidence (file:line), remediation and help link, most severe first; then one
        recommendation per setting, what was read and any input problems.

        Exit code: 0 when nothing is at or above --fail-on, 1 when something is, 2 on a usage or input error.

        Examples:
          gunicorn-insights analyze incident/
          gunicorn-insights analyze error.log.gz gunicorn.conf.py --kind access-log=logs/app.log
          gunicorn-insights analyze incident/ --format sarif --output gunicorn.sarif --fail-on critical
          gunicorn-insights analyze incident/ --config insights.json --format json
        """;

    public static Command Create(CliConsole console)
    {
        var paths = CommonOptions.Paths("Files and folders to read (folders recursively, hidden entries skipped, .gz included); kinds are detected from names and first lines.");
        var kinds = CommonOptions.Kinds();
        var instance = CommonOptions.Instance();
        var config = CommonOptions.Config();
        var format = CommonOptions.Format("Report format: text for people, json (docs/cli.md schema), sarif (SARIF 2.1.0).", "text", "json", "sarif");
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit 1 when a diagnosis is at or above this severity (none: always 0 unless there is a usage error).",
            DefaultValueFactory = _ => "warning",
            HelpName = "critical|warning|info|none",
        };
        failOn.AcceptOnlyFromAmong("critical", "warning", "info", "none");
        var output = CommonOptions.Output();
        var noProgress = CommonOptions.NoProgress();

        var command = new Command("analyze", Description) { paths, kinds, instance, config, format, failOn, output, noProgress };
        command.SetAction(parse =>
        {
            var reportFormat = Enum.Parse<ReportFormat>(parse.GetValue(format)!, ignoreCase: true);
            var selection = InputSelection.From(parse.GetValue(paths) ?? [], parse.GetValue(kinds) ?? [], parse.GetValue(instance));
            var analyzer = RuleServices.CreateCompilingAnalyzer(parse.GetValue(config));
            using var destination = ReportDestination.Open(console, parse.GetValue(output));
            var showProgress = !parse.GetValue(noProgress) && reportFormat == ReportFormat.Text;
            var read = ReadWithProgress(console, selection, showProgress);
            var result = analyzer.Analyze(read.Observations);
            var report = new AnalysisReport(read, result, ToolInfo.Current);
            switch (reportFormat)
            {
                case ReportFormat.Json:
                    JsonAnalysisReport.Write(destination.Writer, report, console.Display);
                    break;
                case ReportFormat.Sarif:
                    SarifAnalysisReport.Write(destination.Writer, report, analyzer.SessionFactory.Descriptors,
                        analyzer.Configuration.EffectiveSeverity, console.WorkingDirectory);
                    break;
                default:
                    TextAnalysisReport.Write(destination.Writer, report, destination.Palette(console), console.Display);
                    break;
            }

            return ExitCode(result, parse.GetValue(failOn)!);
        });
        return command;
    }

    /// <summary>Reads the inputs, with a progress display on a terminal's stderr when <paramref name="showProgress"/>.</summary>
    internal static ReadResult ReadWithProgress(CliConsole console, InputSelection selection, bool showProgress)
    {
        ReadResult read;
        if (!showProgress || !console.ErrorIsTerminal)
        {
            read = selection.Read();
        }
        else
        {
            var progress = new ReadProgress();
            using var display = new ProgressDisplay(console.Error, progress, console.Display);
            read = selection.Read(progress);
        }

        // Part of the input was unusable: say so where a CI log shows it, even when the report goes to a file.
        var errors = read.Problems.Where(p => p.Severity == InputDiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0)
        {
            console.Error.WriteLine($"{CliApplication.Name}: {errors.Length} input error(s), e.g. {errors[0].Location}: {errors[0].Message}; the rest was analysed and the report lists them all");
        }

        return read;
    }

    /// <summary>1 when a diagnosis is at or above <paramref name="failOn"/>, else 0.</summary>
    internal static int ExitCode(AnalysisResult result, string failOn)
    {
        Severity? threshold = failOn switch
        {
            "critical" => Severity.Critical,
            "warning" => Severity.Warning,
            "info" => Severity.Info,
            _ => null,
        };
        return threshold is { } level && result.Diagnoses.Any(d => d.Severity >= level) ? ExitCodes.Diagnosed : ExitCodes.Clean;
    }
}
