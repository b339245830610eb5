using Gunicorn.Insights.Cli;
using Gunicorn.Insights.Cli.Terminal;

return CliApplication.Run(args, CliConsole.System());
