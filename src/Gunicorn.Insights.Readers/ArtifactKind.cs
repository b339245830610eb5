namespace Gunicorn.Insights.Readers;

/// <summary>The kinds of artifact the readers understand.</summary>
public enum ArtifactKind
{
    /// <summary>Not recognised.</summary>
    Unknown,

    /// <summary>Gunicorn's error log (any version's wording, raw or wrapped by journald, Docker, Kubernetes or a platform).</summary>
    GunicornErrorLog,

    /// <summary>Gunicorn's access log, in the default or a configured <c>access_log_format</c>.</summary>
    GunicornAccessLog,

    /// <summary><c>gunicorn.conf.py</c>, read statically.</summary>
    GunicornConfig,

    /// <summary>A command line: a <c>cmdline</c> file, systemd unit, Procfile, Dockerfile or environment file.</summary>
    CommandLine,

    /// <summary>An nginx configuration file.</summary>
    NginxConfig,

    /// <summary>nginx's error log.</summary>
    NginxErrorLog,

    /// <summary>nginx's access log.</summary>
    NginxAccessLog,

    /// <summary>A Redis configuration file.</summary>
    RedisConfig,

    /// <summary>Redis's log.</summary>
    RedisLog,

    /// <summary>Heroku router log lines.</summary>
    HerokuRouterLog,

    /// <summary>Output of host tools: <c>free -m</c>, <c>top</c>, <c>vmstat</c>, <c>nproc</c>, <c>/proc/mounts</c>, <c>df -T</c>.</summary>
    HostTools,

    /// <summary>Stacks: <c>py-spy dump</c>, faulthandler output, <c>strace</c> excerpts.</summary>
    ProcessStacks,

    /// <summary>Prometheus text exposition or OpenMetrics.</summary>
    PrometheusMetrics,

    /// <summary>StatsD lines as Gunicorn emits them.</summary>
    StatsdLines,

    /// <summary>A Prometheus server configuration (<c>scrape_configs</c>).</summary>
    PrometheusConfig,

    /// <summary>A New Relic agent configuration (<c>newrelic.ini</c>).</summary>
    NewRelicConfig,

    /// <summary>The documented JSON form of observations, from a monitoring app.</summary>
    ObservationJson,
}
