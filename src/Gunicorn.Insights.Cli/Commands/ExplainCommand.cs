using System.CommandLine;
using Gunicorn.Insights.Cli.Inputs;
using Gunicorn.Insights.Cli.Reports;
using Gunicorn.Insights.Cli.Terminal;

namespace Gunicorn.Insights.Cli.Commands;

/// <summary><c>explain ID</c>: the rule's page; <c>explain ID --on PATH...</c>: why it did or did not fire on those inputs.</summary>
internal static class ExplainCommand
{
    private const string Description = """
        Show a rule's documentation page. With --on, analyse the given inputs and explain, condition by condition, why
        the rule did or did not fire: how many facts each condition saw, where the matches ran out, and which artifact
        would supply missing evidence. ID is a rule ID (GI1001) or, with --on, the name of a rule that derives facts
        (WorkerTimeoutsRule).

        Examples:
          gunicorn-insights explain GI1002
          gunicorn-insights explain GI4001 --on incident/
          gunicorn-insights explain GI6001 --on incident/ --kind redis-config=redis/redis.conf --format json
        """;

    public static Command Create(CliConsole console)
    {
        var id = new Argument<string>("ID") { Description = "The rule ID (e.g. GI1002), or a rule's name with --on." };
        var on = new Option<string[]>("--on")
        {
            Description = "Analyse these files and folders and explain the rule's outcome on them.",
            HelpName = "PATH",
            AllowMultipleArgumentsPerToken = true,
        };
        var kinds = CommonOptions.Kinds();
        var instance = CommonOptions.Instance();
        var config = CommonOptions.Config();
        var format = CommonOptions.Format("Output format (json only with --on).", "text", "json");
        var command = new Command("explain", Description) { id, on, kinds, instance, config, format };
        command.SetAction(parse =>
        {
            var ruleId = parse.GetValue(id)!.Trim();
            var analyzer = RuleServices.CreateAnalyzer(parse.GetValue(config));
            var known = analyzer.SessionFactory.Descriptors.Any(d => d.Id.Equals(ruleId, StringComparison.OrdinalIgnoreCase));
            var paths = parse.GetValue(on) ?? [];
            var kindSpecs = parse.GetValue(kinds) ?? [];
            var palette = new Palette(console.OutputIsTerminal && console.ColourAllowed);
            if (paths.Length == 0 && kindSpecs.Length == 0)
            {
                return ShowPage(console, analyzer, ruleId, known, palette);
            }

            var selection = InputSelection.From(paths, kindSpecs, parse.GetValue(instance));
            var read = AnalyzeCommand.ReadWithProgress(console, selection, parse.GetValue(format) == "text");
            var (result, explanations) = analyzer.Explain(read.Observations, ruleId);

            // The engine matches rule names (with or without namespace); nothing matched means no such rule.
            if (!known && explanations.Count == 0)
            {
                throw new UsageException($"unknown rule '{ruleId}'; `gunicorn-insights rules` lists the rule IDs");
            }
            if (parse.GetValue(format) == "json")
            {
                ExplanationReport.WriteJson(console.Output, ruleId, explanations, result, read, console.Display);
            }
            else
            {
                ExplanationReport.WriteText(console.Output, ruleId, explanations, result, read, palette, console.Display);
            }

            return ExitCodes.Clean;
        });
        return command;
    }

    private static int ShowPage(CliConsole console, DeploymentAnalyzer analyzer, string ruleId, bool known, Palette palette)
    {
        if (!known)
        {
            throw new UsageException($"unknown rule ID '{ruleId}'; `gunicorn-insights rules` lists them");
        }

        if (RulePages.Find(ruleId) is { } page)
        {
            MarkdownPage.Write(console.Output, page, palette);
            return ExitCodes.Clean;
        }

        // A host's own rule has no page in the tool: its descriptor says what there is to say.
        var descriptor = analyzer.SessionFactory.Descriptors.First(d => d.Id.Equals(ruleId, StringComparison.OrdinalIgnoreCase));
        console.Output.WriteLine(palette.Bold($"{descriptor.Id}: {descriptor.Title}"));
        console.Output.WriteLine($"Category {descriptor.Category}, default severity {SeverityNames.Of(descriptor.DefaultSeverity)}.");
        console.Output.WriteLine(descriptor.Description);
        foreach (var step in descriptor.Remediation)
        {
            console.Output.WriteLine($"- {step.Text}");
        }

        return ExitCodes.Clean;
    }
}
