using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>The descriptors of the capacity and concurrency rules (GI2001–GI2999).</summary>
public static class CapacityDescriptors
{
    /// <summary>GI2001: requests end exactly at a proxy or worker deadline while the worker pool is exhausted.</summary>
    public static InsightDescriptor PoolExhaustionDeadlineHang { get; } = new(
        "GI2001",
        "Worker pool exhaustion causes exact 60-second request hangs",
        "{0} of {1} requests ({2}) took between {3} and {4}, at the {5} of {6}, while the worker pool was exhausted: {7}",
        InsightCategory.Capacity,
        Severity.Critical)
    {
        Description = "A sync worker serves one request at a time, so when every worker is busy a new connection waits in the "
            + "listen backlog until some worker accepts it, and no Gunicorn clock runs while it waits. The proxy's clock does run: "
            + "nginx answers 504 once proxy_read_timeout (60 s by default) passes without a response, and Gunicorn aborts a worker "
            + "that stays on one request for longer than `timeout`. With the pool exhausted, requests therefore end at exactly that "
            + "deadline, having waited for a worker rather than run slowly; a longer deadline only lengthens the hang.",
        Insights = ["Worker pool exhaustion causes exact 60-second request hangs"],
        References = ["worker", "connection backlog", "backlog", "reverse proxy", "timeout", "proxy_read_timeout", "upstream_response_time"],
        Signatures = ["failed (11: Resource temporarily unavailable) while connecting to upstream"],
        Remediation =
        [
            RemediationStep.Investigate("ss -ltn",
                "While requests hang, read the Recv-Q of Gunicorn's listening socket (ss -ltn for TCP, ss -lx for a Unix socket): "
                + "those connections are waiting for a worker."),
            RemediationStep.Investigate("py-spy dump --pid PID --subprocesses",
                "Dump the busy workers' stacks to see what holds them (a slow query, an external call, a lock)."),
            RemediationStep.ChangeSetting("workers", "(2 × CPU cores) + 1",
                "Give the pool enough workers that it is not exhausted at peak; (2 × CPU cores) + 1 is Gunicorn's starting point."),
            RemediationStep.ChangeSetting("worker-class", "gevent",
                "If the workers mostly wait on I/O, use an asynchronous worker class so one worker keeps many requests waiting."),
        ],
        Parameters =
        [
            new RuleParameter("min-requests", RuleParameterKind.Integer, "100",
                "The fewest requests a histogram needs before a cluster at the deadline counts; with fewer the rule reports GI0003."),
            new RuleParameter("min-share", RuleParameterKind.Number, "5",
                "The share of all requests, in percent, that must end in the window around the deadline."),
            new RuleParameter("spike-factor", RuleParameterKind.Number, "2",
                "How many times more requests the deadline window must hold than an equally wide window just below it (a spike, not a slow tail)."),
            new RuleParameter("deadline-tolerance", RuleParameterKind.Duration, "1s",
                "How far on each side of the deadline the window of bucket bounds must reach (requests cut at 60 s are logged as 60.00x s)."),
            new RuleParameter("max-window", RuleParameterKind.Duration, "20s",
                "The widest window of bucket bounds around the deadline that still counts as 'exactly at the deadline'."),
            new RuleParameter("proxy-deadline", RuleParameterKind.Duration, "60s",
                "The proxy read timeout assumed when no proxy_read_timeout is configured (nginx's default)."),
        ],
    };

    /// <summary>GI2002: sync workers saturate on I/O-bound requests.</summary>
    public static InsightDescriptor SyncWorkersBlockingOnIo { get; } = new(
        "GI2002",
        "Synchronous WSGI workers block on I/O preventing concurrent request handling",
        "Gunicorn runs {0} sync worker(s), each serving one request at a time, and the pool saturated ({1}) while the requests were I/O-bound: {2}",
        InsightCategory.Capacity,
        Severity.Warning)
    {
        Description = "The sync worker handles exactly one request at a time: while that request waits for the database or an "
            + "external service, the worker process sits in a blocking call and accepts nothing else. When most of a request's time "
            + "is such waiting, the pool runs out of workers long before the CPUs are busy, and further requests queue. An "
            + "asynchronous worker class (gevent, which monkey-patches the standard library when the worker starts) lets one worker "
            + "keep many requests waiting at once; the gthread class (threads > 1) does the same with threads.",
        Insights = ["Synchronous WSGI workers block on I/O preventing concurrent request handling"],
        References = ["worker-class", "threads", "WSGI", "Gevent", "gevent", "Eventlet", "gthread worker", "database queries", "worker"],
        Signatures = ["failed (11: Resource temporarily unavailable) while connecting to upstream"],
        Remediation =
        [
            RemediationStep.Run("pip install gunicorn gevent", "Install gevent next to Gunicorn in the application's environment."),
            RemediationStep.ChangeSetting("worker-class", "gevent",
                "Switch to the gevent worker class so a worker keeps serving while its requests wait. Drivers written in C "
                + "(psycopg2, mysqlclient) need their own gevent support (e.g. psycogreen), or they still block the whole worker."),
            RemediationStep.ChangeSetting("threads", "1",
                "Leave threads at 1 with gevent: concurrency comes from greenlets (up to worker_connections per worker), and threads "
                + "only matters for the sync class, which it turns into gthread."),
            RemediationStep.Run("gunicorn app:server --workers $WORKERS --worker-class gevent --bind 0.0.0.0:8000 --timeout 60",
                "Start Gunicorn with gevent workers (replace app:server with your application and $WORKERS with (2 × CPU cores) + 1; "
                + "behind a local nginx keep your own bind address, e.g. a Unix socket)."),
        ],
        Parameters =
        [
            new RuleParameter("min-requests", RuleParameterKind.Integer, "100",
                "The fewest requests an APM breakdown or histogram needs before it can show the requests are I/O-bound."),
            new RuleParameter("io-share", RuleParameterKind.Number, "50",
                "The share of request time, in percent, spent in database and external calls from which requests count as I/O-bound."),
            new RuleParameter("slow-request", RuleParameterKind.Duration, "1s",
                "Without an APM breakdown: the P95 request duration from which requests count as slow while the CPU is idle."),
            new RuleParameter("low-cpu", RuleParameterKind.Number, "50",
                "Without an APM breakdown: the host CPU utilisation, in percent, below which every sample must stay."),
        ],
    };

    /// <summary>GI2003: fewer workers than (2 × CPU cores) + 1, with saturation or erratic latency.</summary>
    public static InsightDescriptor InsufficientWorkerCount { get; } = new(
        "GI2003",
        "Insufficient Gunicorn workers cause unpredictable response times",
        "Gunicorn runs {0} worker(s){1} on {2} CPU(s), below (2 × {2}) + 1 = {3}, and {4}",
        InsightCategory.Capacity,
        Severity.Warning)
    {
        Description = "Each Gunicorn worker is one process, and a sync worker serves one request at a time. Gunicorn's documentation "
            + "suggests (2 × CPU cores) + 1 workers as a starting point, so that while some workers wait on I/O others keep the cores "
            + "busy. With fewer, a burst or a few slow requests take every worker and the requests behind them wait for a free one, "
            + "so a request's response time depends on what else is in flight and varies widely. When the CPUs themselves are "
            + "saturated more workers do not help, and the rule stays silent.",
        Insights = ["Insufficient Gunicorn workers cause unpredictable response times"],
        References = ["workers", "--workers", "worker process", "master/child process model", "P95"],
        Signatures = ["failed (11: Resource temporarily unavailable) while connecting to upstream"],
        Remediation =
        [
            RemediationStep.ChangeSetting("workers", "9",
                "In gunicorn.conf.py set workers = (2 × CPU cores) + 1: 9 on a 4-core machine; the message gives the number for this host."),
            RemediationStep.ChangeSetting("--workers", "3",
                "On the command line the same rule gives --workers 3 on one core; use the number the message computes for this host."),
            RemediationStep.Investigate("nproc",
                "Check how many CPUs Gunicorn may use: a container's CPU limit can be lower than the host's count."),
        ],
        Parameters =
        [
            new RuleParameter("min-requests", RuleParameterKind.Integer, "100",
                "The fewest requests a histogram needs before its P99/P50 ratio counts; with fewer the rule reports GI0003."),
            new RuleParameter("variance-ratio", RuleParameterKind.Number, "10",
                "The P99/P50 ratio from which response times count as unpredictable."),
        ],
    };

    /// <summary>GI2004: a saturated pool makes connections queue in the listen backlog, unseen by request metrics.</summary>
    public static InsightDescriptor ConnectionBacklogQueueing { get; } = new(
        "GI2004",
        "Request queueing in connection backlog due to insufficient workers",
        "The worker pool was saturated ({0}); new connections then wait in the listen backlog (backlog = {1}{2}) until a worker accepts them, and Gunicorn's request durations do not include that wait",
        InsightCategory.Capacity,
        Severity.Warning)
    {
        Description = "Gunicorn listens with a queue of `backlog` pending connections (2048 by default) that the kernel fills while no "
            + "worker calls accept(). When every worker is busy, new connections sit in that queue; Gunicorn times a request only "
            + "from when a worker reads it, so the wait shows in no access-log time or request-duration metric, only in the "
            + "client's and the proxy's. When the queue itself is full, connects fail: nginx logs (11: Resource temporarily "
            + "unavailable) for a Unix socket. A larger backlog only lengthens the wait; more or asynchronous workers shorten it.",
        Insights = ["Request queueing in connection backlog due to insufficient workers", "Requests queue in connection backlog when workers are saturated"],
        References = ["backlog", "connection backlog", "socket accept queue", "socket queue", "upstream_response_time", "worker"],
        Signatures = ["failed (11: Resource temporarily unavailable) while connecting to upstream"],
        Remediation =
        [
            RemediationStep.Investigate("ss -ltn",
                "Watch the listening socket: Recv-Q is the number of connections waiting for a worker, Send-Q the backlog size "
                + "(ss -ltn for TCP, ss -lx for a Unix socket)."),
            RemediationStep.ChangeSetting("--enable-backlog-metric", "on (Gunicorn 24.1 or later, with statsd_host)",
                "Make the queue visible: the master then sends the pending-connection count as the StatsD histogram gunicorn.backlog."),
            RemediationStep.ChangeSetting("workers", "(2 × CPU cores) + 1",
                "Add workers until the pool is no longer saturated at peak."),
            RemediationStep.ChangeSetting("worker-class", "gevent",
                "For I/O-bound requests use an asynchronous worker class, so a worker does not stay blocked while its request waits."),
        ],
    };

    /// <summary>GI2005: a single worker serves production traffic.</summary>
    public static InsightDescriptor SingleWorkerInProduction { get; } = new(
        "GI2005",
        "Single Gunicorn worker insufficient for production without benchmarking",
        "Gunicorn runs a single worker ({0}) while {1}; benchmark and set {2}",
        InsightCategory.Capacity,
        Severity.Warning)
    {
        Description = "Gunicorn starts one worker unless `workers` (-w) or the WEB_CONCURRENCY environment variable says otherwise. "
            + "One worker is one process on at most one CPU core, and with the sync class it serves one request at a time, so a "
            + "single slow request stalls every request behind it and a WORKER TIMEOUT leaves nothing serving until the master "
            + "boots a replacement. The worker count for production should come from a benchmark on the target host, starting "
            + "from (2 × CPU cores) + 1.",
        Insights = ["Single Gunicorn worker insufficient for production without benchmarking"],
        References = ["-w", "workers", "worker process", "worker"],
        Signatures = ["[CRITICAL] WORKER TIMEOUT (pid:", "WORKER TIMEOUT"],
        Remediation =
        [
            RemediationStep.ChangeSetting("-w", "4 (or (2 × CPU cores) + 1)",
                "Start several workers; begin at (2 × CPU cores) + 1 and adjust after a load test on the target host."),
            RemediationStep.Run("gunicorn -w 4 myapp.wsgi:application",
                "For example, four workers for a Django project's WSGI application (replace myapp with your project)."),
            RemediationStep.ChangeSetting("WEB_CONCURRENCY", "(2 × CPU cores) + 1",
                "Where the platform sets the count through the environment (Heroku), set WEB_CONCURRENCY; an explicit -w overrides it."),
        ],
        Parameters =
        [
            new RuleParameter("production-requests", RuleParameterKind.Integer, "1000",
                "The number of requests in the access log from which the traffic counts as production traffic."),
            new RuleParameter("min-requests", RuleParameterKind.Integer, "100",
                "The fewest requests a histogram needs before its P95 counts as evidence."),
            new RuleParameter("p95-limit", RuleParameterKind.Duration, "2s",
                "The P95 request duration from which latency counts as evidence that one worker is not enough."),
        ],
    };

    /// <summary>GI2006: the worker-timeout rate rises from one load-test run to the next.</summary>
    public static InsightDescriptor TimeoutRateRisingAcrossRuns { get; } = new(
        "GI2006",
        "Request timeout rate increases with each load test",
        "The WORKER TIMEOUT rate rose from run to run over {0} runs (separated by at least {1}): {2}{3}",
        InsightCategory.Capacity,
        Severity.Warning)
    {
        Description = "Load tests run one after another against the same Gunicorn master, so whatever is not released between runs "
            + "carries over: worker memory that keeps growing, database or HTTP connections left open, caches and queues that fill. "
            + "Each run then starts from a worse state, requests get slower, and more of them exceed `timeout`, so the master "
            + "aborts more workers per request served. A fixed capacity limit would give about the same rate in every run; a rate "
            + "that climbs from run to run points at such accumulation.",
        Insights = ["Request timeout rate increases with each load test"],
        References = ["timeout", "worker process", "master process", "max_requests"],
        Signatures = ["[CRITICAL] WORKER TIMEOUT (pid:", "WORKER TIMEOUT"],
        Remediation =
        [
            RemediationStep.Investigate("free -m",
                "Between runs, record memory (free -m, and the workers' RSS from ps) to see whether it grows from run to run."),
            RemediationStep.Investigate("py-spy dump --pid PID --subprocesses",
                "During a late run, dump the workers' stacks to see where slow requests wait (a connection-pool checkout, a lock)."),
            RemediationStep.ChangeSetting("max_requests", "1000",
                "As a stopgap, recycle workers after a number of requests (with max_requests_jitter) so leaked state is released; "
                + "then fix the leak itself."),
        ],
        Parameters =
        [
            new RuleParameter("run-gap", RuleParameterKind.Duration, "5m",
                "The quiet time (no requests, or no timeouts without an access-log timeline) that separates one run from the next."),
            new RuleParameter("rise-factor", RuleParameterKind.Number, "1.5",
                "With three or more runs: the rate never falls from one run to the next and the last is at least this many times the first."),
            new RuleParameter("two-run-rise-factor", RuleParameterKind.Number, "3",
                "With exactly two runs: the second run's rate must be at least this many times the first's; a smaller rise is reported as GI0003."),
            new RuleParameter("min-timeouts", RuleParameterKind.Integer, "3",
                "The fewest WORKER TIMEOUT lines the last run must have."),
        ],
    };

    /// <summary>GI2007: saturated CPU with slow requests or worker timeouts.</summary>
    public static InsightDescriptor CpuSpikeSlowsRequests { get; } = new(
        "GI2007",
        "Gunicorn CPU spike to 100% causes severe page load delays",
        "CPU was saturated ({0}) while {1}; adding workers does not help a CPU-bound application",
        InsightCategory.Capacity,
        Severity.Critical)
    {
        Description = "A Gunicorn worker runs its Python code on one core at a time (the GIL), so a worker at 100 % of a core, or a "
            + "host whose cores are all busy, cannot serve requests any faster: requests wait for CPU, pages load slowly, and a "
            + "sync worker that stays busy past `timeout` is killed. More workers only split the same cores more ways (NUM_WORKERS "
            + "tried at 1, 3, 9 and 17 made no difference in the reported case). The remedy is to find the hot code with a "
            + "profiler and make it cheaper, cache it, or move it off the request path.",
        Insights = ["Gunicorn CPU spike to 100% causes severe page load delays"],
        References = ["NUM_WORKERS", "worker process", "CProfile", "P95", "timeout"],
        Signatures = ["[CRITICAL] WORKER TIMEOUT (pid:", "WORKER TIMEOUT"],
        Remediation =
        [
            RemediationStep.Investigate("top -H -p PID",
                "Confirm which Gunicorn process and thread burns the CPU: top -H -p with a worker's pid (or plain top, sorted by CPU)."),
            RemediationStep.Investigate("py-spy top --pid PID",
                "Watch the hot functions of a busy worker live."),
            RemediationStep.Investigate("py-spy record -o profile.svg --pid PID --subprocesses",
                "Record a flame graph of the master and all workers during a spike to find the code to optimise."),
            RemediationStep.ChangeSetting("workers", "(2 × CPU cores) + 1",
                "Keep the worker count at about (2 × CPU cores) + 1; beyond that workers add context switches, not capacity."),
        ],
        Parameters =
        [
            new RuleParameter("p95-limit", RuleParameterKind.Duration, "2s",
                "The P95 request duration from which requests count as severely delayed."),
            new RuleParameter("min-requests", RuleParameterKind.Integer, "100",
                "The fewest requests a histogram needs before its P95 counts; with fewer the rule reports GI0003."),
        ],
    };

    /// <summary>GI2008: memory grows while slow requests pile up in highly concurrent workers.</summary>
    public static InsightDescriptor SlowRequestMemoryBuildup { get; } = new(
        "GI2008",
        "Slow backend responses cause concurrent request memory buildup",
        "Available memory fell from {0} to {1} (of {2}) over {3} while requests were slow ({4}) and each of the {5} worker(s) can hold {6} requests in flight ({7})",
        InsightCategory.Capacity,
        Severity.Warning)
    {
        Description = "An asynchronous worker (gevent, eventlet, uvicorn) or a threaded one keeps every accepted request alive until it "
            + "completes, together with its body, ORM objects and buffers. When a backend slows down, requests keep arriving but "
            + "leave later, so the number in flight, and the memory they hold, grows with the delay until the host swaps or the "
            + "OOM killer ends a worker. Bounding concurrency (worker_connections, threads) and timing out backend calls keeps it "
            + "bounded; memory that also grows while latency is normal is a leak instead.",
        Insights = ["Slow backend responses cause concurrent request memory buildup"],
        References = ["gevent", "Gevent", "uvicorn", "gthread worker", "worker_connections", "swap memory", "asyncio.wait_for"],
        Remediation =
        [
            RemediationStep.Investigate("free -m -s 10",
                "Sample memory every 10 seconds while the backend is slow and compare it with the number of requests in flight."),
            RemediationStep.ChangeSetting("worker_connections", "available memory ÷ (workers × memory per request)",
                "Cap the requests an async worker holds at once (the default is 1000) so a slow backend cannot pile up unbounded work."),
            new RemediationStep(RemediationKind.ChangeCode,
                "Put timeouts on backend calls (a client timeout, asyncio.wait_for) so waiting requests give up and release their memory."),
        ],
        Parameters =
        [
            new RuleParameter("min-growth", RuleParameterKind.Number, "10",
                "How much available memory must fall between the first and the last sample, in percent of total memory."),
            new RuleParameter("slow-request", RuleParameterKind.Duration, "2s",
                "The P95 request duration (or average, from an APM breakdown) from which requests count as slow."),
            new RuleParameter("min-concurrency", RuleParameterKind.Integer, "10",
                "The fewest requests one worker must be able to hold in flight (worker_connections or threads)."),
            new RuleParameter("min-requests", RuleParameterKind.Integer, "100",
                "The fewest requests a histogram or APM breakdown needs before it shows requests are slow."),
        ],
    };

    /// <summary>Every descriptor of the category, by ID.</summary>
    public static IReadOnlyList<InsightDescriptor> All { get; } =
    [
        PoolExhaustionDeadlineHang,
        SyncWorkersBlockingOnIo,
        InsufficientWorkerCount,
        ConnectionBacklogQueueing,
        SingleWorkerInProduction,
        TimeoutRateRisingAcrossRuns,
        CpuSpikeSlowsRequests,
        SlowRequestMemoryBuildup,
    ];
}
