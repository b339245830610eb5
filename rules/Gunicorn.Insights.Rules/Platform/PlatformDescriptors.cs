using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Platform;

/// <summary>The descriptors of the platform rules (GI5001–GI5999).</summary>
public static class PlatformDescriptors
{
    /// <summary>GI5001: the platform's router gives up on requests before Gunicorn stops working on them.</summary>
    public static InsightDescriptor PlatformTimeout { get; } = new(
        "GI5001",
        "Request persistence after platform timeout causes resource waste",
        "The platform ended {0} request(s) at its {1} deadline ({2}), but Gunicorn {3}, so workers go on processing requests "
            + "nobody waits for any more",
        InsightCategory.Platform,
        Severity.Warning)
    {
        Description = "Platforms put a router or load balancer in front of the app that answers the client itself once its own "
            + "deadline passes: Heroku's router after 30 s (H12, counting time queued in the dyno), Cloud Run after its request "
            + "timeout (300 s unless configured, a 504), App Service Linux's front end after 230 s. None of them stops the "
            + "request inside the container. A sync worker keeps processing until the request ends or Gunicorn's timeout kills "
            + "it; gthread, gevent and ASGI workers are not bounded by Gunicorn's timeout at all, so only the application can "
            + "stop the work (an ASGI app sees `http.disconnect` or `asyncio.CancelledError`).",
        Insights = ["Request persistence after platform timeout causes resource waste"],
        Signatures =
        [
            "H12 Request Timeout", "code=H12 desc=\"Request timeout\"",
            "The request has been terminated because it has reached the maximum request timeout",
        ],
        References =
        [
            "http.disconnect", "asyncio.CancelledError", "asyncio.wait_for", "load balancer", "timeout", "ASGI", "uvicorn",
            "Google Cloud Run", "Google App Engine", "App Service Linux",
        ],
        Remediation =
        [
            RemediationStep.ChangeSetting("--timeout", "25",
                "For sync workers, set Gunicorn's timeout just below the platform's deadline (e.g. --timeout 25 under Heroku's 30 s router limit) so the worker stops soon after nobody waits for it."),
            new RemediationStep(RemediationKind.ChangeCode,
                "In ASGI apps, bound slow work with asyncio.wait_for(..., timeout=...) below the deadline, and stop when the server "
                + "signals http.disconnect (or the task gets asyncio.CancelledError) instead of finishing a response nobody will read."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Move work that legitimately takes longer than the deadline to a background job (Celery, a worker dyno) and return at once."),
            RemediationStep.Investigate("heroku logs --tail --source heroku --dyno router",
                "On Heroku, watch the router's H12 lines (service=30000ms) and the paths they name; elsewhere read the platform's request log for its timeout status (504)."),
        ],
    };

    /// <summary>GI5002: disk I/O stalls block Gunicorn's master (and workers) writing logs or heartbeats to disk.</summary>
    public static InsightDescriptor MasterDiskIo { get; } = new(
        "GI5002",
        "Master process disk I/O blocking causes multi-second response latency",
        "The host stalled on disk I/O ({0}) while {1}; Gunicorn keeps {2} on disk-backed storage, so its master process and "
            + "workers wait on that disk whenever they write there{3}",
        InsightCategory.Platform,
        Severity.Critical)
    {
        Description = "Gunicorn's master process writes the error log itself (WORKER TIMEOUT, worker exits, boots) and creates "
            + "every worker's heartbeat file; workers write their access-log lines and update their heartbeat file on each "
            + "beat. When those files live on a disk that stalls (a saturated or network-backed volume, a journal commit, a "
            + "nearly full disk), each write blocks the process in uninterruptible I/O: a blocked master cannot reap or "
            + "replace workers, and a blocked worker neither serves requests nor heartbeats, so responses take seconds and "
            + "workers may be timed out. Logging to stdout/stderr and keeping `worker_tmp_dir` on tmpfs keep Gunicorn off the disk.",
        Insights = ["Master process disk I/O blocking causes multi-second response latency"],
        Signatures = ["WORKER TIMEOUT"],
        References =
        [
            "master process", "heartbeat", "tmpfs", "worker_tmp_dir", "--access-logfile", "--error-logfile", "App Service Linux",
            "os.fchmod", "master/child process model",
        ],
        Parameters =
        [
            new RuleParameter("iowait-limit", RuleParameterKind.Number, "20",
                "The CPU iowait share (percent, host samples) from which a sample counts as a disk stall."),
            new RuleParameter("blocked-limit", RuleParameterKind.Integer, "4",
                "The number of processes blocked in uninterruptible I/O (vmstat's b column) from which a sample counts as a disk stall."),
            new RuleParameter("p95-limit", RuleParameterKind.Duration, "2s",
                "The P95 request duration from which latency counts as multi-second."),
            new RuleParameter("min-requests", RuleParameterKind.Integer, "100",
                "The fewest requests a request-duration histogram needs before its P95 counts."),
        ],
        Remediation =
        [
            RemediationStep.ChangeSetting("--access-logfile", "'-'",
                "Write access logs to stdout instead of a file (on App Service Linux, stdout reaches App Service log collection)."),
            RemediationStep.ChangeSetting("--error-logfile", "'-'",
                "Write the error log to stderr instead of a file, so the master never waits on a disk to log."),
            RemediationStep.ChangeSetting("worker_tmp_dir", "/dev/shm or tmpfs mount",
                "Keep the worker heartbeat files in memory: --worker-tmp-dir /dev/shm."),
            RemediationStep.Investigate("vmstat 1 10",
                "Confirm the stall: the wa column (iowait) and the b column (processes blocked on I/O) rise while requests slow down."),
            RemediationStep.Investigate("py-spy dump --pid MASTER_PID",
                "See where the master waits during a stall (a write or fsync on a log file shows in its stack)."),
            new RemediationStep(RemediationKind.ChangeSetting,
                "If the application itself must write to disk, move those files to faster local storage than the volume that stalls."),
        ],
    };

    /// <summary>GI5003: frequent health checks take sync workers away from requests on an instance whose workers get killed.</summary>
    public static InsightDescriptor HealthChecks { get; } = new(
        "GI5003",
        "Frequent health checks trigger unnecessary worker kills",
        "Health checks to {0} arrived {1} time(s) over {2} ({3} per second, {4} answered with 5xx) at {5} while Gunicorn {6}; "
            + "each check takes a whole sync worker while it runs, so the checks compete with real requests for the few workers, "
            + "and a check that waits behind slow requests fails and can get an instance that was only busy restarted",
        InsightCategory.Platform,
        Severity.Warning)
    {
        Description = "A load balancer or orchestrator probes a health-check endpoint on a fixed schedule, often from several "
            + "probers at once. A sync worker serves one request at a time, so every probe occupies a whole worker; when the "
            + "endpoint does real work (database, cache) or the workers are busy with slow requests, probes queue, time out "
            + "and fail. The platform then takes the instance out of rotation or restarts it, and Gunicorn kills workers "
            + "that stay silent past its timeout, killing workers whose only fault was being busy.",
        Insights = ["Frequent health checks trigger unnecessary worker kills"],
        Signatures = ["WORKER TIMEOUT", "Worker (pid:*) was sent SIGKILL! Perhaps out of memory?"],
        References = ["health check", "load balancer", "worker", "timeout", "sync"],
        Parameters =
        [
            new RuleParameter("min-rate", RuleParameterKind.Number, "0.5",
                "The health-check rate (requests per second) from which checks count as frequent."),
            new RuleParameter("min-requests", RuleParameterKind.Integer, "20",
                "The fewest health-check requests, over a known time span, needed to judge their rate."),
        ],
        Remediation =
        [
            new RemediationStep(RemediationKind.ChangeCode,
                "Serve the health check from a dedicated, cheap endpoint that touches no database or external service, so a probe never waits on a slow dependency."),
            new RemediationStep(RemediationKind.ChangeSetting,
                "Probe less often and give the probe a timeout and failure threshold above the slowest normal request (load balancer or Kubernetes probe settings)."),
            RemediationStep.ChangeSetting("--workers", "(2 × CPU cores) + 1",
                "Run enough workers that probes find a free one, or use an asynchronous worker class (--worker-class gevent) so a probe does not need a whole worker."),
            RemediationStep.Investigate("grep -c 'GET /health' access.log",
                "Count the probes per minute in the access log and compare their times with the WORKER TIMEOUT lines in the error log."),
        ],
    };

    /// <summary>Every descriptor of the category, by ID.</summary>
    public static IReadOnlyList<InsightDescriptor> All { get; } = [PlatformTimeout, MasterDiskIo, HealthChecks];

    /// <summary>How a companion rule names <paramref name="descriptor"/> in an insufficient-evidence diagnosis: <c>GI5001 Title</c>.</summary>
    public static string Subject(InsightDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return descriptor.Id + " " + descriptor.Title;
    }
}
