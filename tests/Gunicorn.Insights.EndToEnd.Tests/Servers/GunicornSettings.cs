namespace Gunicorn.Insights.EndToEnd.Tests.Servers;

/// <summary>How a scenario runs Gunicorn. Paths of logs, pid file and sockets are the scenario folder's.</summary>
internal sealed record GunicornSettings
{
    /// <summary>Gunicorn's default access-log format with the request time, <c>rt=%(L)s</c>.</summary>
    public const string TimedAccessLogFormat = """%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" rt=%(L)s""";

    /// <summary>The same with the busy-worker count the hooks supply, <c>busy=%({x-busy}i)s</c>.</summary>
    public const string BusyAccessLogFormat = TimedAccessLogFormat + " busy=%({x-busy}i)s";

    /// <summary>Where Gunicorn listens; a free loopback port when null.</summary>
    public ServerAddress? Bind { get; init; }

    /// <summary><c>workers</c>.</summary>
    public int Workers { get; init; } = 1;

    /// <summary><c>worker_class</c>.</summary>
    public string WorkerClass { get; init; } = "sync";

    /// <summary><c>timeout</c> in seconds; Gunicorn's default (30 s) when null.</summary>
    public int? Timeout { get; init; }

    /// <summary><c>graceful_timeout</c> in seconds: short, so a stop never waits for a sleeping request.</summary>
    public int GracefulTimeout { get; init; } = 1;

    /// <summary>
    /// True to add the hooks that count the requests in progress and log the count with each request
    /// (<see cref="BusyAccessLogFormat"/>); only in <c>gunicorn.conf.py</c>, since hooks cannot be given as flags.
    /// </summary>
    public bool LogBusyWorkers { get; init; }

    /// <summary><c>access_log_format</c>.</summary>
    public string AccessLogFormat => LogBusyWorkers ? BusyAccessLogFormat : TimedAccessLogFormat;

    /// <summary><c>loglevel</c>.</summary>
    public string LogLevel { get; init; } = "info";

    /// <summary><c>statsd_host</c>, e.g. <c>127.0.0.1:8125</c>.</summary>
    public string? StatsdHost { get; init; }

    /// <summary><c>worker_tmp_dir</c>.</summary>
    public string? WorkerTmpDir { get; init; }

    /// <summary>
    /// True to pass the settings as command-line flags (the scenario then keeps <c>/proc/PID/cmdline</c>), false to write
    /// them to <c>gunicorn.conf.py</c>.
    /// </summary>
    public bool OnCommandLine { get; init; }

    /// <summary>Environment variables for the application (<c>APP_REDIS_HOST</c>, …).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
