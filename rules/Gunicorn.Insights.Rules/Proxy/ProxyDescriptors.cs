using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Proxy;

/// <summary>The descriptors of the proxy and network rules (GI4001–GI4999).</summary>
public static class ProxyDescriptors
{
    /// <summary>GI4001: nginx reaches Gunicorn on the same host over loopback TCP where a Unix socket would do.</summary>
    public static InsightDescriptor SameHostTcpProxy { get; } = new(
        "GI4001",
        "TCP socket binding causes severe request latency compared to Unix socket",
        "nginx reaches Gunicorn over loopback TCP ({0}) while Gunicorn listens on {1}{2}; proxy and Gunicorn share the host, "
            + "so a Unix socket can replace the TCP hop; {3}",
        InsightCategory.Proxy,
        Severity.Critical)
    {
        Description = "When nginx and Gunicorn run on one host, every proxied request still opens (or reuses) a TCP connection "
            + "through the loopback interface: the full TCP/IP stack, a connection handshake per request unless upstream "
            + "keepalive is configured, and an ephemeral local port that lingers in TIME_WAIT afterwards. A Unix domain socket "
            + "skips all of that and cannot run out of local ports. Gunicorn listens on a Unix socket with "
            + "`--bind unix:/run/gunicorn.sock` (or a systemd socket unit), and nginx proxies to it with "
            + "`proxy_pass http://unix:/run/gunicorn.sock`. Across hosts or containers TCP is the only option and this rule stays silent.",
        Insights = ["TCP socket binding causes severe request latency compared to Unix socket"],
        Signatures = ["connect() failed (99: Cannot assign requested address) while connecting to upstream"],
        References =
        [
            "--bind", "proxy_pass", "ListenStream", "Unix socket", "/run/gunicorn.sock", "/etc/systemd/system/gunicorn.socket",
            "/etc/nginx/conf.d/filename.conf", "reverse proxy", "systemd", "ExecStart", "upstream_response_time",
        ],
        Remediation =
        [
            RemediationStep.ChangeSetting("--bind", "unix:/run/gunicorn.sock",
                "Make Gunicorn listen on a Unix socket: --bind unix:/run/gunicorn.sock on the ExecStart line (or bind = \"unix:/run/gunicorn.sock\" in gunicorn.conf.py)."),
            RemediationStep.ChangeSetting("ListenStream", "/run/gunicorn.sock",
                "With systemd socket activation, create /etc/systemd/system/gunicorn.socket with ListenStream=/run/gunicorn.sock so systemd owns the socket and hands it to Gunicorn."),
            RemediationStep.ChangeSetting("proxy_pass", "http://unix:/run/gunicorn.sock",
                "Point nginx at the socket in its site file (e.g. /etc/nginx/conf.d/filename.conf): proxy_pass http://unix:/run/gunicorn.sock;"),
            RemediationStep.Run("sudo systemctl daemon-reload", "Reload systemd so it reads the changed gunicorn.service and gunicorn.socket units."),
            RemediationStep.Run("sudo systemctl restart gunicorn", "Restart Gunicorn so it listens on the socket."),
            RemediationStep.Run("sudo systemctl restart nginx", "Restart nginx so it proxies to the socket."),
            RemediationStep.Investigate("curl --unix-socket /run/gunicorn.sock http://localhost/",
                "Check that Gunicorn answers on the socket, then compare nginx's $upstream_connect_time and $upstream_response_time before and after the change to see what the TCP hop cost."),
        ],
    };

    /// <summary>GI4002: a Gunicorn version with known request-smuggling flaws runs behind a reverse proxy.</summary>
    public static InsightDescriptor RequestSmuggling { get; } = new(
        "GI4002",
        "Request interpretation desynchronization between proxy and backend",
        "Gunicorn {0} runs behind {1}; {2}; when a proxy and its backend disagree on where a request ends "
            + "(Transfer-Encoding versus Content-Length), a request smuggled inside another one bypasses the proxy's checks",
        InsightCategory.Proxy,
        Severity.Critical)
    {
        Description = "A reverse proxy or load balancer and the backend each decide where one HTTP/1.1 request ends and the next "
            + "begins, from Content-Length and Transfer-Encoding. Gunicorn before 22.0.0 treated a request with conflicting "
            + "Transfer-Encoding headers as chunked (CVE-2024-1135) and fell back to Content-Length on a Transfer-Encoding value "
            + "it did not recognise (CVE-2024-6827), so bytes the proxy forwarded as the body of one request could be parsed by "
            + "Gunicorn as a second request the proxy never checked. Gunicorn 22.0.0 tightened its parser and refuses requests "
            + "with both headers; the GitHub advisory for CVE-2024-6827 still lists 23.0.0 as its fixed version.",
        Insights = ["Request interpretation desynchronization between proxy and backend"],
        Signatures = ["Starting gunicorn", "Invalid request from ip="],
        References =
        [
            "HTTP request smuggling", "reverse proxy", "load balancer", "Transfer-Encoding", "Content-Length", "CVE-2024-1135",
            "CVE-2024-6827", "GHSA-hc5x-x2vx-497g",
        ],
        Remediation =
        [
            RemediationStep.Run("pip install --upgrade gunicorn>=23.0.0",
                "Upgrade Gunicorn to 23.0.0 or later (22.0.0 fixes CVE-2024-1135; the CVE-2024-6827 advisory names 23.0.0), then restart it."),
            RemediationStep.Investigate("gunicorn --version",
                "Confirm the version every instance actually runs (the error log's 'Starting gunicorn' line shows it too)."),
            new RemediationStep(RemediationKind.ChangeSetting,
                "Keep the proxy normalising requests: let it reject requests that carry both Transfer-Encoding and Content-Length, and "
                + "keep Gunicorn reachable only through the proxy (a Unix socket or a loopback/private bind), never directly."),
        ],
    };

    /// <summary>GI4003: nginx 502s / prematurely closed upstream connections are requests whose worker was killed.</summary>
    public static InsightDescriptor UpstreamClosedByWorkerTimeout { get; } = new(
        "GI4003",
        "Long-running requests terminated by worker timeout",
        "nginx logged {0} 'upstream prematurely closed connection' line(s){1} while Gunicorn logged {2} "
            + "WORKER TIMEOUT line(s) for {3} worker(s) (worker timeout {4}); those are requests whose worker was killed "
            + "mid-request (nginx answers them with 502), so Gunicorn never wrote a response or an access-log line for them",
        InsightCategory.Proxy,
        Severity.Warning)
    {
        Description = "When a worker stays silent for longer than `timeout`, the master logs WORKER TIMEOUT, aborts it with "
            + "SIGABRT and, if it does not exit, SIGKILLs it about a second later. A sync worker does not heartbeat while it "
            + "handles a request, so a request slower than the timeout loses its worker mid-response. nginx then sees the "
            + "upstream connection close before any response header and answers the client with 502, logging `upstream "
            + "prematurely closed connection while reading response header from upstream`. The killed request never reaches "
            + "Gunicorn's access log, so the 502s show only in nginx's logs.",
        Insights = ["Long-running requests terminated by worker timeout"],
        Signatures =
        [
            "upstream prematurely closed connection while reading response header from upstream", "502", "WORKER TIMEOUT",
            "Worker (pid:*) was sent SIGKILL! Perhaps out of memory?",
        ],
        References = ["timeout", "reverse proxy", "worker process", "master process", "heartbeat", "WORKER TIMEOUT"],
        Parameters =
        [
            new RuleParameter("correlation-window", RuleParameterKind.Duration, "5m",
                "How far apart the nginx errors and the worker timeouts may be, when both carry times, and still count as one incident."),
        ],
        Remediation =
        [
            RemediationStep.Investigate("py-spy dump --pid PID --subprocesses",
                "Find out what the slow requests do: dump the workers' stacks while a request is running long."),
            RemediationStep.ChangeSetting("--timeout", "120",
                "If the long requests are legitimate, raise the worker timeout above the slowest expected request and keep nginx's proxy_read_timeout just above it."),
            RemediationStep.ChangeSetting("--worker-class", "gevent",
                "For I/O-bound requests, use an asynchronous worker class so a slow request does not stop the worker's heartbeat."),
        ],
    };

    /// <summary>GI4004: nginx answers 504 after exactly its proxy_read_timeout while Gunicorn still holds the request.</summary>
    public static InsightDescriptor ProxyReadTimeout { get; } = new(
        "GI4004",
        "nginx proxy_read_timeout ends requests with 504 before Gunicorn finishes them",
        "nginx answered {0} request(s) with 504 after waiting its proxy_read_timeout of {1}{2}, while Gunicorn's worker timeout "
            + "is {3}; {4}",
        InsightCategory.Proxy,
        Severity.Critical)
    {
        Description = "nginx waits `proxy_read_timeout` (60 s unless configured) for the upstream's response header, then gives "
            + "up with `upstream timed out (110: Connection timed out) while reading response header from upstream` and a 504, "
            + "so every such hang lasts exactly that long. The wait is spent either in Gunicorn's listen backlog, when every "
            + "worker is busy and nobody accepts the connection (Gunicorn's timeout never applies to a request no worker has "
            + "picked up), or inside a worker whose request outlives nginx's patience: that worker keeps processing a request "
            + "nobody waits for any more, up to Gunicorn's timeout for a sync worker and without limit for other worker classes.",
        Insights = ["Worker pool exhaustion causes exact 60-second request hangs", "Request persistence after platform timeout causes resource waste"],
        Signatures = ["504", "upstream timed out (110: Connection timed out) while reading response header from upstream"],
        References =
        [
            "proxy_read_timeout", "timeout", "reverse proxy", "connection backlog", "backlog", "worker", "upstream_response_time",
        ],
        Remediation =
        [
            RemediationStep.Investigate("grep -c 'upstream timed out' /var/log/nginx/error.log",
                "Count the timeouts, and log busy workers with busy=%({x-busy}i)s in the access log format (or sample them) to see whether requests waited for a free worker."),
            RemediationStep.ChangeSetting("--workers", "(2 × CPU cores) + 1",
                "If the pool was exhausted, add workers (or move I/O-bound work to an asynchronous worker class) so requests do not queue in the backlog."),
            RemediationStep.ChangeSetting("--timeout", "60",
                "Keep Gunicorn's timeout at or just below nginx's proxy_read_timeout (60 s by default), so a sync worker stops a request nobody waits for."),
            RemediationStep.ChangeSetting("proxy_read_timeout", "a few seconds above Gunicorn's --timeout",
                "If requests legitimately take longer, raise nginx's proxy_read_timeout together with Gunicorn's timeout, keeping nginx the last to give up."),
        ],
    };

    /// <summary>Every descriptor of the category, by ID.</summary>
    public static IReadOnlyList<InsightDescriptor> All { get; } =
        [SameHostTcpProxy, RequestSmuggling, UpstreamClosedByWorkerTimeout, ProxyReadTimeout];

    /// <summary>How a companion rule names <paramref name="descriptor"/> in an insufficient-evidence diagnosis: <c>GI4003 Title</c>.</summary>
    public static string Subject(InsightDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return descriptor.Id + " " + descriptor.Title;
    }
}
