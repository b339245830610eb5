using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>The descriptors of the latency and observability rules (GI3001–GI3999).</summary>
public static class LatencyDescriptors
{
    private const string AccessLogFormatWithBusyWorkers =
        "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\" rt=%(L)s busy=%({x-busy}i)s";

    private const string NginxTimingLogFormat =
        "'$remote_addr \"$request\" $status rt=$request_time uct=$upstream_connect_time urt=$upstream_response_time'";

    /// <summary>GI3001: the P95 request duration of an instance (or of some of its paths) is above the limit.</summary>
    public static InsightDescriptor HighP95Latency { get; } = new(
        "GI3001",
        "P95 latency exceeding 2 seconds degrades user experience",
        "P95 request duration is {0} over {1} requests in {2} (limit {3}){4}{5}",
        InsightCategory.Latency,
        Severity.Warning)
    {
        Description = "The P95 is the duration that 95 % of requests stay under. From a cumulative request-duration "
            + "histogram it is estimated like Prometheus' histogram_quantile: find the bucket holding the 95th percentile and "
            + "interpolate linearly inside it. Above the limit, one request in twenty is slow enough for users to notice, and "
            + "every slow request also holds a worker (a sync worker serves one request at a time), so the delay spreads to "
            + "requests queued behind it. A percentile in the +Inf bucket is only known to exceed the highest bound, and "
            + "widely spaced buckets around the limit make the estimate coarse.",
        Insights = ["P95 latency exceeding 2 seconds degrades user experience"],
        References = ["P95", "histogram_quantile", "RED Method", "http_request_duration_seconds.buckets", "gunicorn.request.duration"],
        Remediation =
        [
            RemediationStep.Investigate(
                "histogram_quantile(0.95, sum by (le, path) (rate(http_request_duration_seconds_bucket[5m])))",
                "Find the slow endpoints: the P95 per path, the duration signal of the RED Method."),
            RemediationStep.Investigate("py-spy dump --pid PID --subprocesses",
                "See what a worker is doing while a slow request runs: a database query, an external call, CPU work."),
            RemediationStep.ChangeSetting("http_request_duration_seconds.buckets", LatencyEvidence.RecommendedBuckets,
                "Use histogram buckets that are dense around the latency objective, so the P95 is not interpolated across a wide bucket."),
        ],
        Parameters =
        [
            new RuleParameter("p95-limit", RuleParameterKind.Duration, "2s", "The P95 request duration above which the rule fires."),
            new RuleParameter("min-requests", RuleParameterKind.Integer, "100",
                "The fewest requests a histogram (or a path) must hold before its P95 is trusted; with fewer, the rule reports GI0003 instead."),
        ],
    };

    /// <summary>GI3002: the P50 or P95 request duration of a series rose by a factor against an earlier window.</summary>
    public static InsightDescriptor RequestDurationRise { get; } = new(
        "GI3002",
        "Elevated request duration indicates performance degradation",
        "{0} rose against its baseline: P95 {1} → {2}, P50 {3} → {4} (up to {5}× the baseline), from {6} ({7} requests) to {8} ({9} requests){10}",
        InsightCategory.Latency,
        Severity.Warning)
    {
        Description = "Histograms of the same series (metric and path) from different windows are compared: the earliest "
            + "window is the baseline, the latest the current state. A higher P50 means typical requests got slower (a slower "
            + "dependency, a heavier code path, CPU contention); a higher P95 alone points at a slow subset (one endpoint, "
            + "lock or pool waits). With the same number of workers, longer requests leave fewer workers free, so new "
            + "requests also wait longer in the listen backlog, which Gunicorn's own duration does not include.",
        Insights = ["Elevated request duration indicates performance degradation"],
        References = ["P95", "histogram_quantile", "RED Method", "http_request_duration_seconds.buckets"],
        Remediation =
        [
            RemediationStep.Investigate(
                "histogram_quantile(0.95, sum by (le, path) (rate(http_request_duration_seconds_bucket[10m] offset 1d)))",
                "Compare the per-path P95 with the same window a day earlier to see which endpoints slowed down."),
            new RemediationStep(RemediationKind.Investigate,
                "Line the rise up with what changed between the windows: a deploy, the traffic mix, the latency of the database and external services."),
            RemediationStep.Investigate("py-spy dump --pid PID --subprocesses",
                "See where a worker spends the extra time while a slow request runs."),
        ],
        Parameters =
        [
            new RuleParameter("factor", RuleParameterKind.Number, "1.5",
                "How many times the baseline's P50 or P95 the later window's must be for the rule to fire."),
            new RuleParameter("min-increase", RuleParameterKind.Duration, "100ms",
                "The smallest rise, in absolute terms, that counts (so 20 ms → 40 ms is not reported)."),
            new RuleParameter("min-requests", RuleParameterKind.Integer, "100",
                "The fewest requests each window must hold; with fewer, the rule reports GI0003 instead."),
        ],
    };

    /// <summary>GI3003: queueing is likely or visible, but the latency at hand is Gunicorn's, which starts after accept().</summary>
    public static InsightDescriptor QueueTimeExcluded { get; } = new(
        "GI3003",
        "Request duration metric excludes socket accept queue time",
        "Gunicorn's request duration ({0}) starts only after a worker accepts the connection, so time spent waiting in the listen backlog (backlog {1}) is not in it: {2}{3}",
        InsightCategory.Latency,
        Severity.Warning)
    {
        Description = "Gunicorn starts a request's clock once a worker has accepted the connection; the access log's "
            + "%(L)s and %(D)s and the StatsD timer gunicorn.request.duration run from there to the end of the response. "
            + "While every worker is busy, new connections wait in the kernel's listen queue (up to `backlog`, 2048 by "
            + "default), and that wait is in none of Gunicorn's numbers. Dashboards built on them look healthy exactly when "
            + "users wait; the proxy's $upstream_response_time and $request_time include the queue.",
        Insights = ["Request duration metric excludes socket accept queue time", "Request duration metric excludes socket queue wait time"],
        Signatures = ["(11: Resource temporarily unavailable) while connecting to upstream"],
        References =
        [
            "connection backlog", "socket accept queue", "socket queue", "upstream_response_time", "backlog", "accesslog",
            "access_log_format", "gunicorn.request.duration",
        ],
        Remediation =
        [
            RemediationStep.ChangeSetting("log_format", NginxTimingLogFormat,
                "Measure at the proxy: log nginx's $upstream_response_time (includes the listen-queue wait) and $request_time "
                + "(also includes the client connection), and compare them with Gunicorn's request time."),
            RemediationStep.ChangeSetting("access_log_format", AccessLogFormatWithBusyWorkers,
                "Log Gunicorn's request time (rt=%(L)s) with the busy-worker count your setup puts in an x-busy header, so "
                + "queueing shows up as busy equal to the worker count."),
            RemediationStep.ChangeSetting("accesslog", "-", "Write the access log to stdout so the log collector keeps it."),
            RemediationStep.Investigate("ss -ltn 'sport = :8000'",
                "On Linux, Recv-Q of a listening TCP socket is the number of connections waiting to be accepted right now and "
                + "Send-Q is the backlog size; for a Unix socket use ss -xl."),
        ],
        Parameters =
        [
            new RuleParameter("margin", RuleParameterKind.Duration, "250ms",
                "How much longer the proxy's P95 must be than Gunicorn's for the gap to count as time Gunicorn does not see."),
            new RuleParameter("min-requests", RuleParameterKind.Integer, "100",
                "The fewest requests each side's histogram must hold to compare them; with fewer, the rule reports GI0003 instead."),
        ],
    };

    /// <summary>GI3004: request durations are collected as metrics, but nothing measures the listen backlog.</summary>
    public static InsightDescriptor BacklogMetricMissing { get; } = new(
        "GI3004",
        "Socket backlog queue time not exposed as metric",
        "Request durations are measured ({0}) but no metric shows the listen backlog: {1}",
        InsightCategory.Latency,
        Severity.Info)
    {
        Description = "The listen backlog holds the connections no worker has accepted yet; its length is the direct "
            + "measure of queueing in front of Gunicorn, and the time spent there is in no Gunicorn duration. Gunicorn "
            + "before 24.1 sends no backlog metric; newer versions can send a gunicorn.backlog histogram to StatsD when "
            + "--enable-backlog-metric is on (it is off by default). Without it, queueing shows only indirectly: in the "
            + "proxy's upstream time, or as every worker busy.",
        Insights = ["Socket backlog queue time not exposed as metric"],
        References = ["backlog", "socket accept queue", "connection backlog", "statsd_host", "upstream_response_time"],
        Remediation =
        [
            RemediationStep.ChangeSetting("--enable-backlog-metric", "on (Gunicorn 24.1 or later, with --statsd-host)",
                "On a Gunicorn that has it, send the listen-queue length as gunicorn.backlog."),
            RemediationStep.ChangeSetting("statsd_host", "metrics-aggregator:9125",
                "Gunicorn's metrics, the backlog among them, go to StatsD; point it at the aggregator."),
            RemediationStep.ChangeSetting("access_log_format", AccessLogFormatWithBusyWorkers,
                "On older versions, log the busy-worker count with each request so saturation is visible."),
            RemediationStep.Investigate("ss -ltn 'sport = :8000'",
                "Read the accept queue by hand: Recv-Q of the listening socket is the number of connections waiting now."),
        ],
    };

    /// <summary>GI3005: several worker processes serve an in-process Prometheus client without multiprocess mode.</summary>
    public static InsightDescriptor PrometheusMultiprocess { get; } = new(
        "GI3005",
        "Multi-process model complicates Prometheus metrics collection",
        "Gunicorn runs {0} worker processes and the application exposes Prometheus metrics ({1}) without PROMETHEUS_MULTIPROC_DIR: each scrape is answered by whichever worker accepts it, so counters and histograms show one worker's share and jump between scrapes",
        InsightCategory.Latency,
        Severity.Info)
    {
        Description = "Gunicorn's master forks worker processes, and each worker is a separate Python interpreter with its "
            + "own prometheus_client registry. A scrape of /metrics reaches one worker, whichever accepts the connection, so "
            + "each scrape reports another process's counters: rates jump or go negative and most requests are never "
            + "counted. prometheus_client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR) keeps the values in shared files "
            + "and adds them up on every scrape; pushing from every worker to StatsD is the alternative.",
        Insights = ["Multi-process model complicates Prometheus metrics collection"],
        References = ["master/child process model", "worker process", "PROMETHEUS_MULTIPROC_DIR", "scrape_configs"],
        Remediation =
        [
            RemediationStep.ChangeSetting("PROMETHEUS_MULTIPROC_DIR", "an empty directory such as /tmp/prometheus_multiproc, wiped before Gunicorn starts",
                "Turn on prometheus_client's multiprocess mode in Gunicorn's environment and serve /metrics from a MultiProcessCollector registry."),
            new RemediationStep(RemediationKind.ChangeCode,
                "In multiprocess mode, call prometheus_client.multiprocess.mark_process_dead(worker.pid) from Gunicorn's child_exit hook."),
            RemediationStep.ChangeSetting("statsd_host", "metrics-aggregator:9125",
                "Or push metrics from every worker to a StatsD aggregator instead of scraping one worker."),
            RemediationStep.ChangeSetting("statsd_prefix", "your_app_name",
                "Prefix the pushed metrics with the application's name so several applications can share the aggregator."),
        ],
    };

    /// <summary>GI3006: a Prometheus scrape job for the application, checked against the addresses Gunicorn binds.</summary>
    public static InsightDescriptor PrometheusScrape { get; } = new(
        "GI3006",
        "Prometheus metrics scraping from Django application",
        "Prometheus job '{0}' scrapes {1}: {2}",
        InsightCategory.Latency,
        Severity.Info)
    {
        Description = "A Prometheus scrape job lists static targets (host:port) and fetches their /metrics over HTTP. For a "
            + "Django application served by Gunicorn the target has to be a TCP address that Gunicorn, or a proxy in front "
            + "of it, listens on: a Gunicorn bound only to a Unix socket cannot be scraped directly, a target on a port "
            + "nothing binds is refused, and a Gunicorn bound to 127.0.0.1 answers only on its own host.",
        Insights = ["Prometheus metrics scraping from Django application"],
        References = ["scrape_configs", "static_configs", "scrape_configs.job_name", "scrape_configs.static_configs.targets", "bind"],
        Remediation =
        [
            RemediationStep.ChangeSetting("scrape_configs.job_name", "django_app",
                "Give the application's scrape job a name of its own, so its series carry job=\"django_app\"."),
            RemediationStep.ChangeSetting("scrape_configs.static_configs.targets", "['localhost:8000']",
                "Point the target at a TCP address Gunicorn binds (or at the proxy's /metrics location when Gunicorn listens on a Unix socket)."),
            RemediationStep.Investigate("curl -s http://localhost:8000/metrics",
                "Fetch the endpoint the way Prometheus does; then check the target's state on Prometheus' Targets page."),
        ],
    };

    /// <summary>GI3007: Gunicorn runs under New Relic's wrapper, or is configured for it; inconsistent setups are named.</summary>
    public static InsightDescriptor NewRelicApm { get; } = new(
        "GI3007",
        "Gunicorn startup with New Relic APM wrapper",
        "New Relic APM: {0}; {1}{2}",
        InsightCategory.Latency,
        Severity.Info)
    {
        Description = "newrelic-admin run-program starts Gunicorn with the New Relic Python agent loaded before the "
            + "application is imported, so every worker reports web transactions and transaction traces (time per view, "
            + "database and external calls). The agent reads its settings, the license key among them, from the file "
            + "NEW_RELIC_CONFIG_FILE names, or from NEW_RELIC_* environment variables. The wrapper without a configuration, "
            + "or the variable without the wrapper (and without newrelic.agent.initialize() in the code), leaves the agent "
            + "unconfigured or not loaded.",
        Insights = ["Gunicorn startup with New Relic APM wrapper"],
        References = ["newrelic-admin", "transaction traces", "NEW_RELIC_CONFIG_FILE"],
        Remediation =
        [
            RemediationStep.Run("pip install newrelic", "Install the agent in the application's environment."),
            RemediationStep.Run("newrelic-admin generate-config YOUR_LICENSE_KEY newrelic.ini",
                "Generate the agent's configuration with your license key; keep the file out of version control."),
            RemediationStep.ChangeSetting("NEW_RELIC_CONFIG_FILE", "newrelic.ini",
                "Point the agent at its configuration file in Gunicorn's environment."),
            RemediationStep.Run("NEW_RELIC_CONFIG_FILE=newrelic.ini newrelic-admin run-program gunicorn myapp.wsgi:application",
                "Start Gunicorn through the wrapper so every worker is instrumented."),
        ],
    };

    /// <summary>GI3008: most of a transaction's time is outside the CPU, database and external time an agent measured.</summary>
    public static InsightDescriptor UnaccountedRequestTime { get; } = new(
        "GI3008",
        "Large gap between Django CPU time and total request time indicates WSGI layer bottleneck",
        "{0} spends {1} of its {2} average request time ({3}) outside what was measured ({4}) over {5} requests{6}",
        InsightCategory.Latency,
        Severity.Info)
    {
        Description = "An APM agent or a profiler splits a request's wall-clock time into CPU, database and external-call "
            + "time. What is left is time spent waiting: on I/O the agent does not instrument (caches, files, unpatched "
            + "clients), on locks, the GIL or a connection pool, or in the WSGI layer and middleware around the view. When "
            + "the remainder dominates, tuning the view's code or queries will not help; the wait has to be found with "
            + "wall-clock profiling, not CPU profiling.",
        Insights = ["Large gap between Django CPU time and total request time indicates WSGI layer bottleneck"],
        References = ["CProfile", "Django Debug Toolbar", "transaction traces", "WSGI"],
        Remediation =
        [
            RemediationStep.Investigate("py-spy record --idle --pid PID --subprocesses -o profile.svg",
                "Sample the workers by wall-clock time (--idle keeps waiting threads) to see where the unmeasured time goes."),
            RemediationStep.Investigate("python -m cProfile -o request.prof manage.py runserver --noreload",
                "Profile the slow view locally: cProfile's cumulative times include the waits that CPU time leaves out."),
            RemediationStep.Run("pip install django-debug-toolbar",
                "In development, Django Debug Toolbar's SQL, cache and timing panels show per-request time by component."),
            new RemediationStep(RemediationKind.Investigate,
                "Open transaction traces of the slow transaction and add custom instrumentation (function traces) around uninstrumented I/O."),
        ],
        Parameters =
        [
            new RuleParameter("gap-ratio", RuleParameterKind.Number, "0.5",
                "The share of the average total time that must be unaccounted for the rule to fire."),
            new RuleParameter("min-gap", RuleParameterKind.Duration, "100ms",
                "The smallest unaccounted time per request that counts, so fast transactions are not reported."),
            new RuleParameter("min-requests", RuleParameterKind.Integer, "100",
                "The fewest requests a timing must cover; with fewer, the rule reports GI0003 instead."),
        ],
    };

    /// <summary>Every descriptor of the category, by ID.</summary>
    public static IReadOnlyList<InsightDescriptor> All { get; } =
    [
        HighP95Latency,
        RequestDurationRise,
        QueueTimeExcluded,
        BacklogMetricMissing,
        PrometheusMultiprocess,
        PrometheusScrape,
        NewRelicApm,
        UnaccountedRequestTime,
    ];
}
