namespace Gunicorn.Insights.Observations.Settings;

/// <summary>Which component a configuration parameter belongs to.</summary>
public enum ConfigurationScope
{
    /// <summary>A Gunicorn setting (gunicorn.conf.py, command line, <c>GUNICORN_CMD_ARGS</c>, <c>WEB_CONCURRENCY</c>).</summary>
    Gunicorn,

    /// <summary>An nginx directive (<c>proxy_pass</c>, <c>proxy_read_timeout</c>, …).</summary>
    Nginx,

    /// <summary>A systemd unit setting (<c>ExecStart</c>, <c>ListenStream</c>, …).</summary>
    Systemd,

    /// <summary>A Redis server setting (<c>appendfsync</c>, …).</summary>
    Redis,

    /// <summary>A Prometheus server or client setting (<c>scrape_configs</c>, histogram buckets).</summary>
    Prometheus,

    /// <summary>An environment variable or platform setting (App Engine instance class, <c>NEW_RELIC_CONFIG_FILE</c>, …).</summary>
    Platform,
}
