using System.CommandLine;
using Gunicorn.Insights.Cli.Inputs;
using Gunicorn.Insights.Cli.Terminal;
using Gunicorn.Insights.Cli.Watching;
using Gunicorn.Insights.Monitoring;

namespace Gunicorn.Insights.Cli.Commands;

/// <summary><c>watch PATH... [--scrape URL]...</c>: follow logs and scrape metrics, and print diagnoses as they fire and resolve.</summary>
internal static class WatchCommand
{
    private const string Description = """
        Watch a running deployment: follow its log files (rotation-aware: renamed, recreated or truncated files are
        picked up), re-read its configuration files when they change, scrape Prometheus /metrics URLs, and every
        interval run the rules over a sliding window of what was seen. Prints one line per change: FIRING when a
        diagnosis starts to hold, RESOLVED when it stops (its evidence left the window). Configuration holds until its
        file changes; timestamped observations count for --window.

        Runs until Ctrl-C (SIGINT) or SIGTERM, or for --duration, or one round with --once; exits 0. Exit code 2 on a
        usage error.

        Examples:
          gunicorn-insights watch /var/log/gunicorn/error.log /etc/gunicorn/gunicorn.conf.py
          gunicorn-insights watch logs/ --scrape http://127.0.0.1:9100/metrics --interval 30s
          gunicorn-insights watch error.log --window 5m --format json >> changes.ndjson
          gunicorn-insights watch error.log --once
        """;

    public static Command Create(CliConsole console)
    {
        var paths = CommonOptions.Paths("Log files to follow and configuration files to re-read when they change (folders: every file in them at the start).");
        var kinds = CommonOptions.Kinds();
        var scrape = new Option<string[]>("--scrape")
        {
            Description = "A Prometheus /metrics URL to scrape every interval (repeatable).",
            HelpName = "URL",
            AllowMultipleArgumentsPerToken = false,
        };
        var interval = new Option<string>("--interval")
        {
            Description = "How often to read, scrape and run the rules: 500ms, 15s, 1m, …",
            DefaultValueFactory = _ => "15s",
            HelpName = "DURATION",
        };
        var window = new Option<string>("--window")
        {
            Description = "How long a timestamped observation counts (a log line, a scrape) before its diagnoses resolve.",
            DefaultValueFactory = _ => "15m",
            HelpName = "DURATION",
        };
        var format = CommonOptions.Format("Output: text lines for people, or json (one object per line: at, state, id, severity, message, evidence).", "text", "json");
        var once = new Option<bool>("--once") { Description = "Run one round (read everything there is now), print the diagnoses that fire, and exit." };
        var duration = new Option<string?>("--duration")
        {
            Description = "Stop after this long, e.g. 10m.",
            HelpName = "DURATION",
        };
        var instance = CommonOptions.Instance();
        var config = CommonOptions.Config();
        var command = new Command("watch", Description) { paths, kinds, scrape, interval, window, format, once, duration, instance, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var every = DurationText.Parse("--interval", parse.GetValue(interval)!);
            var options = new InsightMonitorOptions { Window = DurationText.Parse("--window", parse.GetValue(window)!) };
            var stopAfter = parse.GetValue(duration) is { } text ? DurationText.Parse("--duration", text) : (TimeSpan?)null;
            var urls = (parse.GetValue(scrape) ?? []).Select(ParseUrl).ToArray();
            var pathValues = parse.GetValue(paths) ?? [];
            var kindValues = parse.GetValue(kinds) ?? [];
            var requests = pathValues.Length + kindValues.Length == 0
                ? []
                : InputSelection.From(pathValues, kindValues, parse.GetValue(instance)).Requests;
            var monitor = RuleServices.CreateMonitor(parse.GetValue(config), options);
            var writer = new ChangeWriter(console.Output, parse.GetValue(format) == "json", console.Display);
            using var watch = DeploymentWatch.Create(monitor, requests, urls, every, parse.GetValue(instance), writer, console.Error, console.Display);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var signals = new StopSignals(stop);
            if (stopAfter is { } limit)
            {
                stop.CancelAfter(limit);
            }

            await watch.RunAsync(every, parse.GetValue(once), stop.Token).ConfigureAwait(false);
            return ExitCodes.Clean;
        });
        return command;
    }

    private static Uri ParseUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new UsageException($"--scrape takes an http:// or https:// URL, not '{text}'");
}
