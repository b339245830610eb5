using Gunicorn.Insights.Cli.Inputs;
using Gunicorn.Insights.Cli.Reports;
using Gunicorn.Insights.Monitoring;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers;
using Gunicorn.Insights.Readers.Live;

namespace Gunicorn.Insights.Cli.Watching;

/// <summary>
/// The loop behind <c>watch</c>: every interval, re-reads changed configuration files, reads what the followed logs
/// gained, scrapes the metrics URLs, feeds it all to one monitor and writes each diagnosis change.
/// </summary>
internal sealed class DeploymentWatch : IDisposable
{
    private static readonly ArtifactKind[] ConfigurationKinds =
        [ArtifactKind.GunicornConfig, ArtifactKind.CommandLine, ArtifactKind.NginxConfig, ArtifactKind.RedisConfig,
         ArtifactKind.PrometheusConfig, ArtifactKind.NewRelicConfig];

    private readonly InsightMonitor _monitor;
    private readonly List<WatchedConfiguration> _configurations;
    private readonly List<LogFollower> _followers;
    private readonly IReadOnlyList<Uri> _scrapes;
    private readonly PrometheusScraper _scraper;
    private readonly string? _instance;
    private readonly ChangeWriter _writer;
    private readonly TextWriter _error;
    private readonly Func<string, string> _display;
    private readonly TimeProvider _clock;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    private DeploymentWatch(InsightMonitor monitor, List<WatchedConfiguration> configurations, List<LogFollower> followers,
        IReadOnlyList<Uri> scrapes, PrometheusScraper scraper, string? instance, ChangeWriter writer, TextWriter error,
        Func<string, string> display, TimeProvider clock)
    {
        _monitor = monitor;
        _configurations = configurations;
        _followers = followers;
        _scrapes = scrapes;
        _scraper = scraper;
        _instance = instance;
        _writer = writer;
        _error = error;
        _display = display;
        _clock = clock;
    }

    /// <summary>
    /// Sorts the inputs into configuration files (re-read on change) and logs (followed); folders are expanded once, at
    /// the start. A path that does not exist is a usage error.
    /// </summary>
    public static DeploymentWatch Create(InsightMonitor monitor, IReadOnlyList<ArtifactRequest> requests, IReadOnlyList<Uri> scrapes,
        TimeSpan interval, string? instance, ChangeWriter writer, TextWriter error, Func<string, string> display)
    {
        var readers = BuiltInReaders.Create();
        var configurations = new List<WatchedConfiguration>();
        var logs = new List<ArtifactRequest>();
        foreach (var request in requests)
        {
            foreach (var path in Expand(request.Path))
            {
                var file = request with { Path = path };
                var kind = request.Kind ?? readers.Detect(path);
                if (ConfigurationKinds.Contains(kind))
                {
                    configurations.Add(new WatchedConfiguration(file with { Kind = kind }));
                }
                else
                {
                    // An empty or unrecognised file is followed anyway: its kind is detected once it has lines.
                    logs.Add(kind == ArtifactKind.Unknown ? file : file with { Kind = kind });
                }
            }
        }

        if (configurations.Count + logs.Count + scrapes.Count == 0)
        {
            throw new UsageException("nothing to watch: give files or folders to follow, or --scrape URL");
        }

        // Logs are parsed with the formats their configuration declares (access_log_format), as analyze does.
        var parameters = configurations.Count == 0
            ? []
            : readers.Read(configurations.Select(c => c.Request)).Observations.OfType<ConfigParameter>().ToArray();
        var followers = logs.Select(log => new LogFollower(log.Path, new LogFollowerOptions
        {
            Kind = log.Kind,
            Instance = log.Instance,
            KnownParameters = parameters,
        })).ToList();
        // A scrape may not outlast the interval, as Prometheus' scrape_timeout may not.
        var scraper = new PrometheusScraper(new PrometheusScraperOptions
        {
            // As long as an interval, within 2-10 s: a short interval must not make a loaded target look dead.
            Timeout = TimeSpan.FromTicks(Math.Clamp(interval.Ticks, TimeSpan.FromSeconds(2).Ticks, TimeSpan.FromSeconds(10).Ticks)),
        });
        return new DeploymentWatch(monitor, configurations, followers, scrapes, scraper, instance, writer, error, display, TimeProvider.System);
    }

    /// <summary>Runs a pass now, then one per <paramref name="interval"/> until <paramref name="cancellationToken"/> ends it (or after one with <paramref name="once"/>).</summary>
    public async Task RunAsync(TimeSpan interval, bool once, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await PassAsync(cancellationToken).ConfigureAwait(false);
                if (once)
                {
                    return;
                }

                await Task.Delay(interval, _clock, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C, SIGTERM or the end of --duration: a normal end.
        }
    }

    /// <summary>One round: read everything new, update the monitor, write the changes.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        var observations = new List<Observation>();
        var snapshots = new List<string>();
        foreach (var configuration in _configurations)
        {
            if (configuration.ReadIfChanged() is { } reading)
            {
                Take(reading, observations);
            }
        }

        foreach (var follower in _followers)
        {
            Take(follower.Poll(), observations);
        }

        foreach (var url in _scrapes)
        {
            var scrape = await _scraper.ScrapeAsync(url, _instance, cancellationToken).ConfigureAwait(false);
            Take(scrape, observations);
            if (scrape.Inputs.Any(i => i.Bytes > 0))
            {
                snapshots.Add(PrometheusScraper.SourceName(url));
            }
        }

        foreach (var change in _monitor.Update(observations, _clock.GetUtcNow(), snapshots))
        {
            _writer.Write(change);
        }
    }

    public void Dispose()
    {
        foreach (var follower in _followers)
        {
            follower.Dispose();
        }

        _scraper.Dispose();
    }

    private void Take(ReadResult result, List<Observation> observations)
    {
        observations.AddRange(result.Observations);
        foreach (var problem in result.Problems)
        {
            // A failing target fails every interval; saying so once is enough.
            var line = $"{CliApplication.Name}: {SeverityNames.Of(problem.Severity)}: {_display(problem.Location.Source)}"
                + (problem.Location.Line is { } number ? $":{number}" : "") + $": {problem.Message}";
            if (_reported.Add(line))
            {
                _error.WriteLine(line);
                _error.Flush();
            }
        }
    }

    private static string[] Expand(string path)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            throw new UsageException($"{path}: no such file or folder");
        }

        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint,
            IgnoreInaccessible = true,
        };
        return Directory.EnumerateFiles(path, "*", options)
            .Where(f => !Path.GetRelativePath(path, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .Where(f => !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }
}
