using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>The descriptors of the worker-lifecycle and timeout rules (GI1001–GI1999).</summary>
public static class WorkerLifecycleDescriptors
{
    /// <summary>The seed's access-log format: the default one plus the request time in seconds and a busy-worker header.</summary>
    internal const string AccessLogFormatWithRequestTime =
        "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\" rt=%(L)s busy=%({x-busy}i)s";

    /// <summary>GI1001: Gunicorn's master killed workers that stayed silent for longer than <c>timeout</c>.</summary>
    public static InsightDescriptor WorkerTimeout { get; } = new(
        "GI1001",
        "Gunicorn worker timeout on long-running requests",
        "Gunicorn logged {0} WORKER TIMEOUT line(s) for {1} worker(s); the worker timeout is {2}{3}{4}{5}",
        InsightCategory.WorkerLifecycle,
        Severity.Warning)
    {
        Description = "The master checks each worker's heartbeat about once a second. A worker that has not notified the "
            + "master for longer than `timeout` seconds is aborted (SIGABRT) and, if it does not exit, killed with SIGKILL "
            + "about a second later. A sync worker does not heartbeat while it handles a request, so any request that takes "
            + "longer than `timeout` kills its worker; the client gets no response (502 from a proxy) and the request is "
            + "not written to the access log. A SIGKILL that follows a timeout of the same pid is this follow-up kill of a "
            + "worker too stuck to exit, so the log's \"Perhaps out of memory?\" does not apply to it.",
        Insights =
        [
            "Gunicorn worker timeout on long-running requests",
            "Long-running requests terminated by worker timeout",
            "Worker timeout from long running requests exceeding timeout threshold",
        ],
        Signatures =
        [
            "[CRITICAL] WORKER TIMEOUT (pid:", "[CRITICAL] WORKER TIMEOUT", "WORKER TIMEOUT (pid:", "WORKER TIMEOUT",
            "Worker (pid:*) was sent SIGKILL! Perhaps out of memory?",
        ],
        References = ["timeout", "worker", "master process", "heartbeat", "WORKER TIMEOUT", "gunicorn.request.duration"],
        Remediation =
        [
            RemediationStep.Investigate("py-spy dump --pid PID --subprocesses",
                "Find what the workers were doing when they stalled: dump their stacks before the timeout fires."),
            RemediationStep.ChangeSetting("--timeout", "120",
                "If the slow requests are legitimate, raise the worker timeout above the slowest expected request (e.g. --timeout 120)."),
            RemediationStep.ChangeSetting("--worker-class", "gevent",
                "For I/O-bound requests, use an asynchronous worker class so one slow request does not block the worker's heartbeat."),
        ],
    };

    /// <summary>GI1002: workers were killed while the timeout was Gunicorn's default or below a sensible minimum.</summary>
    public static InsightDescriptor TimeoutTooLow { get; } = new(
        "GI1002",
        "Worker killed when timeout setting too low or missing",
        "{0} WORKER TIMEOUT line(s) killed {1} worker(s) while the worker timeout was {2} ({3}); {4}",
        InsightCategory.WorkerLifecycle,
        Severity.Critical)
    {
        Description = "When no configuration sets `timeout`, Gunicorn uses 30 seconds, and the master aborts every worker "
            + "that has not heartbeated for that long. A sync worker sends no heartbeat while it runs a request, so with the "
            + "default or a similarly short timeout every request that legitimately needs longer (an export, a report, a slow "
            + "upstream call) takes its worker down and the client gets a 502 instead of a response. Threaded and async "
            + "workers heartbeat from their own loop, so for them a short timeout that fires means that loop stalled for the "
            + "whole period.",
        Insights =
        [
            "Worker killed when timeout setting too low or missing",
            "Worker timeout kills unresponsive workers after 30 seconds",
        ],
        Signatures = ["[CRITICAL] WORKER TIMEOUT (pid:", "WORKER TIMEOUT (pid:", "WORKER TIMEOUT"],
        References = ["timeout", "--timeout", "worker", "heartbeat", "master process"],
        Remediation =
        [
            RemediationStep.ChangeSetting("timeout", "120",
                "Set the timeout explicitly in gunicorn.conf.py (timeout = 120), above the slowest legitimate request; measure "
                + "that request first (access log with rt=%(L)s) instead of guessing."),
            RemediationStep.ChangeSetting("--timeout", "60",
                "On the command line use at least --timeout 60 when requests regularly take tens of seconds, and more "
                + "(--timeout 120) when the slowest legitimate request needs it."),
            RemediationStep.Run("gunicorn myapp.wsgi:application --timeout 120",
                "Restart Gunicorn with the new timeout (after editing a systemd unit: sudo systemctl daemon-reload, then restart)."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Move work that legitimately takes minutes (exports, report generation) into a background job such as Celery, "
                + "so the timeout can stay short enough to catch workers that are really stuck."),
        ],
        Parameters =
        [
            new RuleParameter("minimum-timeout", RuleParameterKind.Duration, "60s",
                "An explicitly set timeout below this counts as too low once workers are being killed; a missing timeout "
                + "(Gunicorn's default of 30 s) always does."),
        ],
    };

    /// <summary>GI1003: workers timed out and no access log or per-path metric can name the requests they were killed in.</summary>
    public static InsightDescriptor UnloggedTimedOutRequest { get; } = new(
        "GI1003",
        "Worker timeout kills process without logging request URI",
        "{0} WORKER TIMEOUT line(s) for {1} worker(s), but no access log or per-path request metric of this instance was "
        + "supplied{2}: Gunicorn writes a request's access line only after its response, so the requests the timeouts killed "
        + "left no line with their URI; the proxy's access log (a 502 at the time of a timeout) or a stack dumped on abort "
        + "would name them",
        InsightCategory.WorkerLifecycle,
        Severity.Warning)
    {
        Description = "Gunicorn writes a request's access-log line once the response has been sent. When the master aborts a "
            + "worker for exceeding `timeout`, the request it was running never finishes, so it reaches neither the access "
            + "log nor the error log: the WORKER TIMEOUT line only names the worker pid. By default Gunicorn keeps no access "
            + "log at all (`accesslog` is None), which also hides the slow requests that did finish just under the timeout.",
        Insights = ["Worker timeout kills process without logging request URI"],
        Signatures = ["[CRITICAL] WORKER TIMEOUT (pid:", "WORKER TIMEOUT (pid:", "WORKER TIMEOUT"],
        References =
        [
            "accesslog", "access_log_format", "--access-logfile", "--error-logfile", "worker_abort", "faulthandler",
            "upstream_response_time", "timeout",
        ],
        Remediation =
        [
            RemediationStep.ChangeSetting("accesslog", "-",
                "Enable Gunicorn's access log (accesslog = '-' writes it to stdout) so every completed request is logged with its URI."),
            RemediationStep.ChangeSetting("access_log_format", AccessLogFormatWithRequestTime,
                "Log each request's time in seconds (rt=%(L)s) so requests creeping towards the timeout show up before they "
                + "are killed; busy=%({x-busy}i)s logs an X-Busy request header, if a proxy or middleware sets one with the "
                + "number of busy workers."),
            RemediationStep.ChangeSetting("--access-logfile", "'-'",
                "The same on the command line: --access-logfile '-' writes access lines to stdout, which containers and App "
                + "Service collect."),
            RemediationStep.ChangeSetting("--error-logfile", "'-'",
                "Keep the error log on stderr (--error-logfile '-') so WORKER TIMEOUT lines and the worker_abort output are "
                + "collected next to the access lines."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Add a worker_abort(worker) hook to gunicorn.conf.py that calls faulthandler.dump_traceback(all_threads=True): "
                + "it runs in the worker when the master sends SIGABRT, so the stack of the request being killed reaches the error log."),
            RemediationStep.Investigate("py-spy dump --pid PID --subprocesses",
                "Dump the master and every worker while requests are slow, before the timeout fires, to see which code each worker is in."),
            RemediationStep.Investigate("gunicorn myapp.wsgi:application --access-logfile - --error-logfile -",
                "Run with both logs on stdout/stderr and compare the last access lines of a worker pid with its WORKER TIMEOUT."),
        ],
    };

    /// <summary>GI1004: a share of the requests takes most of the timeout while others are killed at it.</summary>
    public static InsightDescriptor TimeoutPageDelay { get; } = new(
        "GI1004",
        "Gunicorn worker timeout causes 20-30 second page delays",
        "{0} of {1} request(s){2} ({3}) took longer than {4}, close to the {5} worker timeout ({6}), while {7} WORKER TIMEOUT "
        + "line(s) show requests being killed at it: pages wait up to the whole timeout and then fail",
        InsightCategory.WorkerLifecycle,
        Severity.Critical)
    {
        Description = "A request that runs into the worker timeout keeps its client waiting for the whole timeout (30 s by "
            + "default) before the master aborts the worker and the proxy answers 502, so users see a page hang for 20-30 "
            + "seconds and then fail. When a noticeable share of the recorded requests already takes most of the timeout, the "
            + "slow path sits right at the limit: some of its requests finish after a long wait, the rest are killed at it. "
            + "Raising the timeout only lengthens the wait; the slow work has to get faster or move out of the request.",
        Insights = ["Gunicorn worker timeout causes 20-30 second page delays"],
        Signatures = ["[CRITICAL] WORKER TIMEOUT (pid:", "WORKER TIMEOUT (pid:", "WORKER TIMEOUT"],
        References = ["timeout", "histogram_quantile", "gunicorn.request.duration", "http_request_duration_seconds", "worker"],
        Remediation =
        [
            RemediationStep.ChangeSetting("access_log_format", AccessLogFormatWithRequestTime,
                "Log each request's time (rt=%(L)s) to find the URIs that take 20 s or more."),
            RemediationStep.Investigate("py-spy dump --pid PID --subprocesses",
                "Dump a worker while a slow page loads to see what it waits on (a query, an upstream call, CPU work)."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Make the slow page fast (indexes for its queries, caching) or move its work into a background job and let "
                + "the page poll for the result, instead of raising the timeout."),
            RemediationStep.ChangeSetting("--worker-class", "gevent",
                "If the slow pages mostly wait on I/O, an async worker keeps serving other requests and heartbeating meanwhile; "
                + "the slow page itself stays slow."),
        ],
        Parameters =
        [
            new RuleParameter("near-timeout-ratio", RuleParameterKind.Number, "0.66",
                "Where the band of requests close to the timeout starts, as a fraction of the timeout (rounded to whole "
                + "seconds: 20 s for the default 30 s timeout)."),
            new RuleParameter("min-share", RuleParameterKind.Number, "0.01",
                "The share of requests (0-1) slower than the band's start from which they count as clustering at the "
                + "timeout; 0.01 means the P99 reaches the band."),
            new RuleParameter("min-requests", RuleParameterKind.Integer, "100",
                "The fewest requests a histogram needs before the rule concludes; with fewer it reports GI0003."),
        ],
    };

    /// <summary>GI1005: the heartbeat files live on a disk-backed filesystem and workers time out or block in the heartbeat.</summary>
    public static InsightDescriptor HeartbeatOnDisk { get; } = new(
        "GI1005",
        "Worker heartbeat blocks indefinitely on disk-backed filesystem",
        "The worker heartbeat directory {0} is on {1} ({2}, not memory-backed){3}: every heartbeat is an {4} call on that "
        + "filesystem, and a worker blocked in it neither serves nor heartbeats until the master kills it{5}",
        InsightCategory.WorkerLifecycle,
        Severity.Critical)
    {
        Description = "Each worker proves it is alive by updating the metadata of an unlinked temporary file in "
            + "`worker_tmp_dir` (os.fchmod up to Gunicorn 21, os.utime from 22), and the master compares that file's "
            + "timestamp with `timeout`. When the directory (by default Python's temporary directory, usually /tmp) is on a "
            + "disk-backed filesystem such as ext4, an EBS volume or Docker's overlay, the update waits for the disk whenever "
            + "the journal or the volume stalls or the disk is full. A worker blocked there serves nothing and misses its "
            + "heartbeat, so it is aborted as if a request had hung; on tmpfs (/dev/shm) the update never waits for a disk.",
        Insights = ["Worker heartbeat blocks indefinitely on disk-backed filesystem"],
        Signatures = ["[CRITICAL] WORKER TIMEOUT (pid:", "WORKER TIMEOUT (pid:", "WORKER TIMEOUT"],
        References = ["worker_tmp_dir", "--worker-tmp-dir", "os.fchmod", "os.utime", "heartbeat", "tmpfs", "/dev/shm"],
        Remediation =
        [
            RemediationStep.ChangeSetting("worker_tmp_dir", "/dev/shm",
                "Keep the heartbeat files in memory: worker_tmp_dir = '/dev/shm' in gunicorn.conf.py, or another tmpfs "
                + "mount (/dev/shm or tmpfs mount); Docker's default 64 MiB /dev/shm is plenty for them."),
            RemediationStep.Run("gunicorn myapp.wsgi:application --worker-tmp-dir /dev/shm",
                "The same on the command line; restart Gunicorn for it to take effect."),
            RemediationStep.Investigate("findmnt -T /tmp",
                "Check which filesystem holds the heartbeat directory (df -T /tmp shows the same); tmpfs is memory-backed."),
            RemediationStep.Investigate("py-spy dump --pid PID --subprocesses",
                "A worker whose stack ends in os.fchmod or os.utime (gunicorn/workers/workertmp.py, notify) confirms that the heartbeat blocks."),
            RemediationStep.Investigate("strace -f -T -e trace=fchmod,utimensat -p PID",
                "Time a worker's heartbeat system calls; calls that take seconds mean the filesystem stalls."),
        ],
    };

    /// <summary>GI1006: fresh workers on App Engine or Cloud Run time out right after booting, again and again.</summary>
    public static InsightDescriptor BootTimeoutCycle { get; } = new(
        "GI1006",
        "Gunicorn workers enter infinite timeout-SIGKILL cycle on Google App Engine",
        "On {0}{1}, {2} of {3} WORKER TIMEOUT line(s) hit a worker at most {4} after it booted ({5}) and preload_app is False{6}: {7}",
        InsightCategory.WorkerLifecycle,
        Severity.Critical)
    {
        Description = "With preload_app False every worker imports the application itself after it is forked, before its "
            + "first heartbeat. Up to Gunicorn 21.x the master measures that heartbeat from the moment it created the worker's "
            + "heartbeat file, so an application that takes longer than `timeout` to load (models, heavy imports on a small App "
            + "Engine instance class) gets every fresh worker aborted and SIGKILLed; its replacement starts the same load and "
            + "the cycle never ends. Gunicorn 22.0 and later only time a worker after its first heartbeat, so there the cycle "
            + "comes from the first requests after boot. Loading the application once in the master (preload_app True) or a "
            + "timeout above the load time ends it.",
        Insights = ["Gunicorn workers enter infinite timeout-SIGKILL cycle on Google App Engine"],
        Signatures =
        [
            "Worker (pid:*) was sent SIGKILL! Perhaps out of memory?", "Worker exiting (pid:", "Booting worker with pid:",
            "[CRITICAL] WORKER TIMEOUT (pid:", "WORKER TIMEOUT",
        ],
        References =
        [
            "preload_app", "--preload", "timeout", "Google App Engine", "Google Cloud Run", "B2 instance class",
            "master process", "worker process", "heartbeat",
        ],
        Remediation =
        [
            RemediationStep.ChangeSetting("preload_app", "True",
                "Required in the Gunicorn config when using a custom Dockerfile on Cloud Run (or App Engine flexible) to end the "
                + "timeout cycle: the app is loaded once in the master before the workers are forked, so its load time never "
                + "counts against the timeout. Code changes then need a full restart, and connections opened at import time "
                + "must be reopened after the fork."),
            RemediationStep.ChangeSetting("timeout", "120",
                "Raise the timeout above the application's load time (and its first requests) so a fresh worker survives its start."),
            RemediationStep.ChangeSetting("instance_class", "B2",
                "On App Engine standard the instance class sets CPU and memory; on the smallest classes loading models or "
                + "heavy imports is slowest, so move to B2 or larger if the load is CPU- or memory-bound."),
            RemediationStep.Investigate("gunicorn --version",
                "Gunicorn 21.x and older count a worker's boot against the timeout; 22.0 and later do not."),
            RemediationStep.Investigate("gcloud app logs tail -s default",
                "Follow one pid from Booting worker to WORKER TIMEOUT to the SIGKILL, and time how long its boot takes."),
        ],
        Parameters =
        [
            new RuleParameter("boot-slack", RuleParameterKind.Duration, "10s",
                "How much longer than the timeout a WORKER TIMEOUT may come after the same pid's Booting worker line and "
                + "still count as a fresh worker killed during or right after its start."),
            new RuleParameter("min-cycles", RuleParameterKind.Integer, "2",
                "The fewest boot-to-timeout cycles that count as a repeating cycle; fewer (but at least one) report GI0003."),
        ],
    };

    /// <summary>Every descriptor of the category, by ID.</summary>
    public static IReadOnlyList<InsightDescriptor> All { get; } =
        [WorkerTimeout, TimeoutTooLow, UnloggedTimedOutRequest, TimeoutPageDelay, HeartbeatOnDisk, BootTimeoutCycle];

    /// <summary>The first argument of a GI0003 diagnosis for <paramref name="descriptor"/>: its ID and title.</summary>
    internal static string Undecided(InsightDescriptor descriptor) => descriptor.Id + " " + descriptor.Title;
}
