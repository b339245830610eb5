namespace Gunicorn.Insights.Observations.Logs;

/// <summary>The log lines and responses that matter for a diagnosis, in every Gunicorn version's wording.</summary>
public enum LogSignatureKind
{
    /// <summary><c>[CRITICAL] WORKER TIMEOUT (pid:N)</c>: the master found a worker silent for longer than <c>timeout</c>.</summary>
    WorkerTimeout,

    /// <summary><c>Worker (pid:N) was sent SIGKILL! Perhaps out of memory?</c> (21+), or signal 9 in 20.1's wording.</summary>
    WorkerSigkill,

    /// <summary><c>Worker (pid:N) was sent SIGTERM!</c> or another signal than SIGKILL; 20.1: <c>terminated due to signal N</c>.</summary>
    WorkerSignaled,

    /// <summary><c>Worker (pid:N) exited with code N</c> (21+).</summary>
    WorkerExitedWithCode,

    /// <summary><c>Worker exiting (pid: N)</c>: a worker shutting down (after SIGABRT on timeout, or gracefully).</summary>
    WorkerExiting,

    /// <summary><c>Booting worker with pid: N</c>.</summary>
    WorkerBoot,

    /// <summary><c>Reason: Worker failed to boot.</c> (exit code 3).</summary>
    WorkerFailedToBoot,

    /// <summary><c>Reason: App failed to load.</c> (exit code 4).</summary>
    AppFailedToLoad,

    /// <summary><c>Error handling request</c> with a traceback: the application raised.</summary>
    ErrorHandlingRequest,

    /// <summary><c>Connection in use</c> / <c>Address already in use</c> at bind time.</summary>
    ConnectionInUse,

    /// <summary>The kernel's OOM killer: <c>Out of memory: Killed process N</c> / <c>oom-kill</c>.</summary>
    OutOfMemoryKill,

    /// <summary>nginx: <c>upstream prematurely closed connection while reading response header from upstream</c>.</summary>
    UpstreamPrematurelyClosed,

    /// <summary>nginx: <c>upstream timed out (110: Connection timed out) while reading response header from upstream</c>.</summary>
    UpstreamTimedOut,

    /// <summary>nginx: <c>connect() … failed</c> to the upstream, e.g. <c>(11: Resource temporarily unavailable)</c> when a unix socket's backlog is full.</summary>
    UpstreamConnectFailed,

    /// <summary>HTTP 500 responses.</summary>
    Http500,

    /// <summary>HTTP 502 responses (Bad Gateway).</summary>
    Http502,

    /// <summary>HTTP 504 responses (Gateway Timeout).</summary>
    Http504,

    /// <summary>Heroku router <c>code=H12 desc="Request timeout"</c>: no response within 30 s.</summary>
    HerokuRequestTimeout,

    /// <summary>Redis: <c>Asynchronous AOF fsync is taking too long (disk is busy?)</c>: fsync blocked the server.</summary>
    RedisSlowFsync,

    /// <summary>An <c>asyncio.CancelledError</c> or <c>http.disconnect</c> in an ASGI app: the client or platform gave up on the request.</summary>
    RequestCancelled,

    /// <summary>A platform's own request deadline (Cloud Run, App Engine, Azure App Service) ended the request.</summary>
    PlatformRequestTimeout,
}
