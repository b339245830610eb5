using Gunicorn.Insights.Readers.AccessLogs;
using Gunicorn.Insights.Readers.GunicornConfig;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.HostTools;
using Gunicorn.Insights.Readers.Launch;
using Gunicorn.Insights.Readers.Metrics;
using Gunicorn.Insights.Readers.Nginx;
using Gunicorn.Insights.Readers.ObservationFiles;
using Gunicorn.Insights.Readers.Platforms;
using Gunicorn.Insights.Readers.Redis;
using Gunicorn.Insights.Readers.Stacks;

namespace Gunicorn.Insights.Readers;

/// <summary>The readers that ship with Gunicorn.Insights, ready to read a folder of incident artifacts.</summary>
public static class BuiltInReaders
{
    /// <summary>Every built-in reader.</summary>
    public static IReadOnlyList<IArtifactReader> All { get; } =
    [
        new GunicornErrorLogReader(),
        new GunicornAccessLogReader(),
        new GunicornConfigReader(),
        new CommandLineReader(),
        new NginxConfigReader(),
        new NginxErrorLogReader(),
        new NginxAccessLogReader(),
        new RedisConfigReader(),
        new RedisLogReader(),
        new HerokuRouterLogReader(),
        new HostToolsReader(),
        new ProcessStacksReader(),
        new PrometheusExpositionReader(),
        new StatsdLinesReader(),
        new PrometheusConfigReader(),
        new NewRelicConfigReader(),
        new ObservationJsonReader(),
    ];

    /// <summary>A batch reader with every built-in reader.</summary>
    public static ArtifactReaders Create() => new(All);
}
