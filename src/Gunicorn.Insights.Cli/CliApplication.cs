using System.CommandLine;
using Gunicorn.Insights.Cli.Commands;
using Gunicorn.Insights.Cli.Inputs;
using Gunicorn.Insights.Cli.Terminal;

namespace Gunicorn.Insights.Cli;

/// <summary>
/// The <c>gunicorn-insights</c> command line: parses the arguments, runs the command, and turns every usage or input
/// error into one line on stderr and exit code 2, never a stack trace.
/// </summary>
internal static class CliApplication
{
    public const string Name = "gunicorn-insights";

    /// <summary>An unexpected failure of the tool itself (a bug): one line on stderr, never a stack trace.</summary>
    public const int InternalError = 3;

    public static int Run(string[] args, CliConsole console)
    {
        var root = new RootCommand("""
            Diagnoses a Gunicorn deployment from the artifacts it already has (Gunicorn's error and access logs,
            gunicorn.conf.py and command lines, nginx, Redis, Heroku, host tools, Prometheus and StatsD metrics):
            why requests are slow, why workers die, and which settings to change.

            Examples:
              gunicorn-insights analyze docs/examples/incident-web-1
              gunicorn-insights rules
              gunicorn-insights explain GI1002 --on incident/
              gunicorn-insights observe incident/access.log --quantiles 0.5,0.99
              gunicorn-insights watch /var/log/gunicorn/ --scrape http://127.0.0.1:9100/metrics
              gunicorn-insights export prometheus-rules --output gunicorn-insights.rules.yml
            """)
        {
            AnalyzeCommand.Create(console),
            ObserveCommand.Create(console),
            RulesCommand.Create(console),
            ExplainCommand.Create(console),
            WatchCommand.Create(console),
            ExportCommand.Create(console),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command;
            var path = command == root ? Name : $"{Name} {command.Name}";
            // One line, whatever the parser wrote: "Argument 'yaml' not recognized. Must be one of: 'text' 'json' …".
            var message = string.Join(" ", parse.Errors[0].Message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
            console.Error.WriteLine($"{Name}: error: {message} (see `{path} --help`)");
            return ExitCodes.UsageError;
        }

        try
        {
            var code = parse.Invoke(new InvocationConfiguration
            {
                Output = console.Output,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
                // watch handles SIGINT and SIGTERM itself, to end with 0; the parser's handler would report 130 or 143.
                ProcessTerminationTimeout = null,
            });
            return code;
        }
        catch (UsageException e)
        {
            console.Error.WriteLine($"{Name}: error: {e.Message}");
            return ExitCodes.UsageError;
        }
#pragma warning disable CA1031 // The tool's own bug must end in one clear line, not a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            console.Error.WriteLine($"{Name}: internal error: {e.GetType().Name}: {e.Message} (please report this with the command line)");
            return InternalError;
        }
        finally
        {
            console.Output.Flush();
            console.Error.Flush();
        }
    }
}
