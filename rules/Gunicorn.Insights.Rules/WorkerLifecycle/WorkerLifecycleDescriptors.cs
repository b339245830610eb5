using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>The descriptors of the worker-lifecycle and timeout rules (GI1001–GI1999).</summary>
public static class WorkerLifecycleDescriptors
{
    /// <summary>GI1001: Gunicorn's master killed workers that stayed silent for longer than <c>timeout</c>.</summary>
    public static InsightDescriptor WorkerTimeout { get; } = new(
        "GI1001",
        "Gunicorn worker timeout on long-running requests",
        "Gunicorn logged {0} WORKER TIMEOUT line(s) for {1} worker(s); the worker timeout is {2}{3}",
        InsightCategory.WorkerLifecycle,
        Severity.Warning)
    {
        Description = "The master checks each worker's heartbeat about once a second. A worker that has not notified the "
            + "master for longer than `timeout` seconds is aborted (SIGABRT) and, if it does not exit, killed with SIGKILL "
            + "about a second later. A sync worker does not heartbeat while it handles a request, so any request that takes "
            + "longer than `timeout` kills its worker; the client gets no response (502 from a proxy) and the request is "
            + "not written to the access log.",
        Insights = ["Gunicorn worker timeout on long-running requests"],
        Signatures = ["[CRITICAL] WORKER TIMEOUT (pid:", "[CRITICAL] WORKER TIMEOUT", "WORKER TIMEOUT (pid:", "WORKER TIMEOUT"],
        References = ["timeout", "worker", "master process", "heartbeat", "WORKER TIMEOUT"],
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

    /// <summary>Every descriptor of the category, by ID.</summary>
    public static IReadOnlyList<InsightDescriptor> All { get; } = [WorkerTimeout];
}
