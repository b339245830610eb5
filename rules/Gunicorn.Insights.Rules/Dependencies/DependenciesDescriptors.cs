using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>The descriptors of the dependency and host-resource rules (GI6001–GI6999).</summary>
public static class DependenciesDescriptors
{
    /// <summary>GI6001: workers timed out while the Redis they use blocked on fsync of its append-only file.</summary>
    public static InsightDescriptor RedisAppendfsyncBlocking { get; } = new(
        "GI6001",
        "Redis appendfsync blocking causes Gunicorn worker timeout",
        "Gunicorn logged {0} WORKER TIMEOUT line(s) (timeout {1}) while the Redis it uses has appendonly yes with appendfsync {2}{3}{4}",
        InsightCategory.Dependencies,
        Severity.Critical)
    {
        Description = "With `appendonly yes`, Redis appends every write to its append-only file and flushes it to disk as "
            + "`appendfsync` says: `always` waits for fsync before answering each write, `everysec` fsyncs from a background "
            + "thread, but when the previous fsync has not finished within 2 s it logs 'Asynchronous AOF fsync is taking too "
            + "long (disk is busy?)' and its next write to the file blocks behind the fsync. Redis serves commands on one thread, "
            + "so while it waits for the disk every client waits too. A Gunicorn worker stuck in a Redis call neither finishes "
            + "its request nor, as a sync worker, notifies the master, which kills it as WORKER TIMEOUT after `timeout` seconds "
            + "(gthread workers keep heartbeating from their main thread, and gevent workers do unless the client blocks the loop).",
        Insights = ["Redis appendfsync blocking causes Gunicorn worker timeout"],
        Signatures =
        [
            "Asynchronous AOF fsync is taking too long (disk is busy?)",
            "[CRITICAL] WORKER TIMEOUT (pid:",
            "WORKER TIMEOUT",
        ],
        References = ["appendfsync", "appendonly", "worker", "heartbeat", "gunicorn worker"],
        Remediation =
        [
            RemediationStep.Investigate("redis-cli --latency-history",
                "Measure Redis latency from the application host: stalls of hundreds of milliseconds or more that line up with the "
                + "WORKER TIMEOUT times confirm that Redis, not the application, held the workers."),
            RemediationStep.Investigate("iostat -x 5",
                "Watch the disk that holds the append-only file: a high await and %util during the stalls is the busy disk Redis waits for."),
            RemediationStep.ChangeSetting("appendfsync", "no",
                "Set `appendfsync no` (redis.conf, or CONFIG SET appendfsync no then CONFIG REWRITE) so Redis never waits for fsync "
                + "and leaves flushing to the kernel. The trade-off: a power loss or kernel crash can lose the writes of the last "
                + "~30 s instead of ~1 s with everysec (a crash of Redis alone loses nothing it has written). That is usually fine "
                + "for a cache or a broker whose jobs can be re-sent; if Redis holds data you cannot rebuild, keep everysec and "
                + "move the append-only file to a faster, dedicated disk instead."),
            RemediationStep.ChangeSetting("no-appendfsync-on-rewrite", "yes",
                "Skip fsync while a background rewrite or save is writing to the same disk, the usual time for long fsyncs "
                + "(with the same durability trade-off during rewrites)."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Give the Redis client a socket timeout (redis.Redis(socket_timeout=2, socket_connect_timeout=2)) so a stalled "
                + "Redis fails one request quickly instead of holding the worker until it is killed."),
        ],
        Parameters =
        [
            new RuleParameter("window", RuleParameterKind.Duration, "5m",
                "How far from the WORKER TIMEOUT lines Redis's slow-fsync lines may be and still count as the same incident."),
        ],
    };

    /// <summary>GI6002: the worker pool saturated while requests spent most of their time waiting on external services.</summary>
    public static InsightDescriptor SlowExternalDependencySaturation { get; } = new(
        "GI6002",
        "Slow external dependencies cause worker saturation and cascading failures",
        "The worker pool was saturated ({0}) while {1} spent {2} of its {3} average request in external calls ({4}, over {5} request(s))",
        InsightCategory.Dependencies,
        Severity.Warning)
    {
        Description = "A worker that calls another service holds its slot until the answer comes back: a sync worker serves "
            + "one request at a time, a gthread worker one per thread. When the service slows down, every worker ends up "
            + "waiting on it, new requests queue in the listen backlog, and the callers of this application (a proxy, another "
            + "service) wait and time out in turn, so one slow dependency spreads failures upstream. Python's requests library "
            + "waits forever unless a timeout is given.",
        Insights = ["Slow external dependencies cause worker saturation and cascading failures"],
        Signatures = ["connect() to unix:/run/gunicorn.sock failed (11: Resource temporarily unavailable)"],
        References = ["worker process", "transaction traces", "gevent", "Celery", "SNAT port exhaustion", "connection backlog"],
        Remediation =
        [
            new RemediationStep(RemediationKind.ChangeCode,
                "Give every outbound call a connect and read timeout well below Gunicorn's timeout, e.g. "
                + "requests.get(url, timeout=(3.05, 10)), and fail fast (or serve a cached answer) when it expires."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Put a circuit breaker around the dependency so that, once it is failing, requests stop waiting on it for a while "
                + "instead of each one spending a worker on it."),
            RemediationStep.ChangeSetting("--worker-class", "gevent",
                "For I/O-bound calls, use an asynchronous worker class: a waiting greenlet costs no worker. Install it with "
                + "pip install gunicorn gevent and make sure the client library uses monkey-patched sockets."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Move calls whose answer the user does not wait for to a task queue such as Celery."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Reuse connections (a requests.Session per worker): on Azure App Service, opening a new outbound connection per "
                + "call runs into SNAT port exhaustion, which makes the calls themselves slow."),
        ],
        Parameters = TimingParameters("external-call"),
    };

    /// <summary>GI6003: workers timed out and requests spend most of their time in database queries.</summary>
    public static InsightDescriptor DatabaseBottleneckTimeout { get; } = new(
        "GI6003",
        "Database bottlenecks cause worker timeouts",
        "Gunicorn logged {0} WORKER TIMEOUT line(s) (timeout {1}) and {2} spent {3} of its {4} average request in database queries ({5}, {6}, over {7} request(s))",
        InsightCategory.Dependencies,
        Severity.Warning)
    {
        Description = "A worker waiting on a query holds its slot, and a sync worker does not notify the master while it "
            + "handles a request, so a request whose queries take longer than `timeout` has its worker killed. Slow queries "
            + "usually come from missing indexes, from one query per row of a list (the N+1 pattern of an ORM), or from "
            + "waiting for a connection or a lock the database holds for another transaction. With gthread workers the main "
            + "thread keeps notifying the master while requests wait in the thread pool, so slow queries alone do not cause "
            + "timeouts there and the rule does not blame them.",
        Insights = ["Database bottlenecks cause worker timeouts"],
        Signatures = ["[CRITICAL] WORKER TIMEOUT (pid:", "WORKER TIMEOUT"],
        References = ["database queries", "indexes", "Django Debug Toolbar", "transaction traces", "memcached", "worker"],
        Remediation =
        [
            RemediationStep.Investigate(
                "psql -c \"SELECT calls, mean_exec_time, query FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 10\"",
                "Find the slow and repeated database queries: Django Debug Toolbar or the APM's transaction traces list them per "
                + "view with their times; pg_stat_statements (or the slow-query log, log_min_duration_statement) shows them "
                + "from the server side."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Add the indexes the slow queries filter and sort on (check with EXPLAIN ANALYZE), and replace per-row queries "
                + "with select_related/prefetch_related or one aggregated query."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Set a statement timeout below Gunicorn's timeout (PostgreSQL: OPTIONS={'options': '-c statement_timeout=20000'}) "
                + "so a runaway query fails its request instead of getting the worker killed, and pool connections "
                + "(CONN_MAX_AGE, PgBouncer) so requests do not wait to connect."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Cache the results of expensive queries that many requests repeat (e.g. in memcached)."),
        ],
        Parameters =
        [
            .. TimingParameters("database"),
            new RuleParameter("max-queries", RuleParameterKind.Number, "100",
                "Queries per request from which a transaction counts as database-bound even when its database time is not the larger share (the N+1 pattern)."),
        ],
    };

    /// <summary>GI6004: workers timed out and requests spend most of their time waiting on external services.</summary>
    public static InsightDescriptor ExternalServiceTimeout { get; } = new(
        "GI6004",
        "External service delays trigger worker timeouts",
        "Gunicorn logged {0} WORKER TIMEOUT line(s) (timeout {1}) and {2} spent {3} of its {4} average request in external calls ({5}, over {6} request(s)){7}",
        InsightCategory.Dependencies,
        Severity.Warning)
    {
        Description = "A sync worker does not notify the master while it handles a request, so a request that waits on a slow "
            + "service for longer than `timeout` gets its worker killed, and the call is abandoned half-way. Python's requests "
            + "library waits forever unless a timeout is given. With gevent or eventlet workers, a call through monkey-patched "
            + "sockets yields to the heartbeat greenlet; a WORKER TIMEOUT there means the client blocked the event loop (a C "
            + "extension or an unpatched socket). With gthread workers the main thread keeps heartbeating while requests wait, "
            + "so the rule does not blame external calls there.",
        Insights = ["External service delays trigger worker timeouts"],
        Signatures = ["[CRITICAL] WORKER TIMEOUT (pid:", "WORKER TIMEOUT"],
        References = ["worker", "heartbeat", "transaction traces", "gevent", "SNAT port exhaustion"],
        Remediation =
        [
            RemediationStep.Investigate("py-spy dump --pid PID --subprocesses",
                "Dump a busy worker's stack before it times out: a frame in socket.recv, ssl or urllib3 names the call that is waiting."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Give every outbound call a connect and read timeout well below Gunicorn's timeout, e.g. "
                + "requests.get(url, timeout=(3.05, 10)), and handle the timeout (retry later, cached answer, clear error)."),
            RemediationStep.ChangeSetting("--worker-class", "gevent",
                "For I/O-bound calls, use an asynchronous worker class so a waiting request does not stop the worker's heartbeat."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Move calls whose answer the user does not wait for to a task queue such as Celery; on Azure App Service, reuse "
                + "connections to avoid SNAT port exhaustion."),
        ],
        Parameters = TimingParameters("external-call"),
    };

    /// <summary>GI6005: workers timed out while the application's own code (not the database, not external calls) took the time.</summary>
    public static InsightDescriptor SlowApplicationLogicTimeout { get; } = new(
        "GI6005",
        "Slow application logic causes worker timeouts",
        "Gunicorn logged {0} WORKER TIMEOUT line(s) (timeout {1}) and {2}{3}",
        InsightCategory.Dependencies,
        Severity.Warning)
    {
        Description = "When the request's time goes to the application's own code (computation, rendering, serialising large "
            + "results) rather than to the database or other services, the worker is busy the whole time. A sync worker does "
            + "not notify the master while it handles a request, and a CPU-bound greenlet never yields to the heartbeat, so a "
            + "request that computes for longer than `timeout` gets its worker killed (gthread workers keep heartbeating from "
            + "their main thread, so there only a stack dump counts). Raising the timeout only hides it.",
        Insights = ["Slow application logic causes worker timeouts"],
        Signatures = ["[CRITICAL] WORKER TIMEOUT (pid:", "WORKER TIMEOUT", "500", "Error handling request"],
        References = ["CProfile", "Celery", "transaction traces", "worker", "heartbeat", "memcached"],
        Remediation =
        [
            RemediationStep.Investigate("py-spy dump --pid PID --subprocesses",
                "Dump a busy worker's stack while the slow request runs (py-spy top --pid PID shows where CPU goes); profile the "
                + "view locally with CProfile (python -m cProfile -o out.prof) to find the hot functions."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Move long computations (reports, exports, image or ML work) to a task queue such as Celery and return at once "
                + "with a job to poll; cache results that are expensive to build (e.g. in memcached)."),
            RemediationStep.ChangeSetting("--timeout", "120",
                "Raise the timeout only for requests that are legitimately long and cannot be moved off the request path, "
                + "ideally on a separate Gunicorn instance for those routes."),
        ],
        Parameters = TimingParameters("application"),
    };

    /// <summary>GI6006: workers timed out while the CPU was saturated.</summary>
    public static InsightDescriptor HighCpuWorkerTimeout { get; } = new(
        "GI6006",
        "Worker timeout due to high CPU causing slow request processing",
        "Gunicorn logged {0} WORKER TIMEOUT line(s) (timeout {1}) while {2} of {3} CPU sample(s) were at or above {4} (peak {5}){6}",
        InsightCategory.Dependencies,
        Severity.Warning)
    {
        Description = "When more processes want the CPU than there are cores, each one runs only part of the time: requests "
            + "take longer in proportion, and a worker waiting for its turn cannot finish its request or notify the master. "
            + "A sync worker that spends longer than `timeout` on a request, whether computing or waiting for a core, is killed "
            + "as WORKER TIMEOUT, and the replacement's start-up adds more CPU load. Gunicorn's guideline of (2 × CPU cores) + 1 "
            + "workers assumes requests that mostly wait on I/O; CPU-heavy requests need fewer.",
        Insights = ["Worker timeout due to high CPU causing slow request processing"],
        Signatures = ["[CRITICAL] WORKER TIMEOUT (pid:", "WORKER TIMEOUT"],
        References = ["worker process", "heartbeat", "CProfile", "Celery", "workers"],
        Remediation =
        [
            RemediationStep.Investigate("top",
                "Watch which processes use the CPU during the timeouts (press 1 for per-core load, P to sort): Gunicorn workers "
                + "at 100 % point to CPU-heavy requests, other processes to a noisy neighbour."),
            RemediationStep.Investigate("py-spy top --pid PID --subprocesses",
                "See which functions of a hot worker use the CPU."),
            RemediationStep.ChangeSetting("--workers", "(2 × CPU cores) + 1",
                "Keep the worker count at or below (2 × CPU cores) + 1, and lower for CPU-bound work, so workers do not starve each other."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Move CPU-heavy work (reports, image processing, ML inference) out of the request to a task queue such as Celery, "
                + "or onto more CPU."),
        ],
        Parameters =
        [
            new RuleParameter("window", RuleParameterKind.Duration, "10m",
                "How far from the WORKER TIMEOUT lines a CPU sample may be taken and still count (samples or timeouts without times always count)."),
        ],
    };

    /// <summary>GI6007: the host ran out of memory and swapped (or killed workers) while responses slowed and the proxy timed out.</summary>
    public static InsightDescriptor MemorySwapping { get; } = new(
        "GI6007",
        "Memory swapping causes slow response times and Nginx 504 timeouts",
        "The host ran short of memory ({0}) while {1}",
        InsightCategory.Dependencies,
        Severity.Critical)
    {
        Description = "When the workers' memory no longer fits in RAM, the kernel moves pages to swap and reads them back each "
            + "time a worker touches them, so a request that took milliseconds waits on the disk again and again. Responses "
            + "slow down until nginx's proxy_read_timeout (60 s by default) expires and it answers 504. When swap is exhausted "
            + "too, the kernel's OOM killer sends SIGKILL to the process it scores highest, usually the largest worker; Gunicorn "
            + "21 and later then logs 'was sent SIGKILL! Perhaps out of memory?' with no WORKER TIMEOUT before it. A SIGKILL "
            + "about a second after a WORKER TIMEOUT of the same pid is Gunicorn's own follow-up kill and says nothing about memory.",
        Insights = ["Memory swapping causes slow response times and Nginx 504 timeouts"],
        Signatures =
        [
            "504",
            "Worker (pid:*) was sent SIGKILL! Perhaps out of memory?",
            "upstream timed out (110: Connection timed out) while reading response header from upstream",
            "Out of memory: Killed process",
        ],
        References = ["swap memory", "worker process", "max_requests", "workers"],
        Remediation =
        [
            RemediationStep.Investigate("free -m",
                "Check memory during the incident: little 'available' memory and growing 'used' swap confirm it; run vmstat 5 "
                + "alongside (non-zero si/so columns in consecutive samples mean the host is swapping)."),
            RemediationStep.Investigate("dmesg -T | grep -i 'killed process'",
                "Look for the kernel's OOM-killer lines naming worker pids."),
            RemediationStep.ChangeSetting("max_requests", "1000",
                "Recycle workers that grow (leaks, caches) after a number of requests; add max_requests_jitter (e.g. 100) so they do not all restart at once."),
            RemediationStep.ChangeSetting("--workers", "(2 × CPU cores) + 1",
                "Run no more workers than the memory holds: workers × the resident size of one worker must fit in RAM with room to spare."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Reduce what each worker holds (stream large responses instead of building them in memory; load large read-only "
                + "data once with preload_app so forked workers share its pages until they write to them), or add memory to the host."),
        ],
        Parameters =
        [
            new RuleParameter("swap-rate", RuleParameterKind.Number, "100",
                "Swap traffic (swap-in plus swap-out, KiB/s, as vmstat's si/so columns) from which a sample counts as swapping."),
            new RuleParameter("min-swap-samples", RuleParameterKind.Integer, "3",
                "How many samples must show that swap traffic for the swapping to count as sustained rather than a moment."),
            new RuleParameter("min-available", RuleParameterKind.Number, "10",
                "The share of memory (percent) still available below which a free -m sample counts as memory short."),
            new RuleParameter("window", RuleParameterKind.Duration, "30m",
                "How far from the 504s and kills a memory sample may be taken and still count (facts without times always count)."),
        ],
    };

    /// <summary>Every descriptor of the category, by ID.</summary>
    public static IReadOnlyList<InsightDescriptor> All { get; } =
    [
        RedisAppendfsyncBlocking,
        SlowExternalDependencySaturation,
        DatabaseBottleneckTimeout,
        ExternalServiceTimeout,
        SlowApplicationLogicTimeout,
        HighCpuWorkerTimeout,
        MemorySwapping,
    ];

    private static RuleParameter[] TimingParameters(string part) =>
    [
        new RuleParameter("dominant-share", RuleParameterKind.Number, "50",
            $"The share (percent) of a transaction's average request time that its {part} time must reach to count as the cause."),
        new RuleParameter("min-time", RuleParameterKind.Duration, "1s",
            $"The average {part} time per request from which a transaction counts as slow."),
        new RuleParameter("min-requests", RuleParameterKind.Integer, "20",
            "How many requests a transaction's averages must cover to conclude; fewer give an insufficient-evidence note (GI0003)."),
    ];
}
