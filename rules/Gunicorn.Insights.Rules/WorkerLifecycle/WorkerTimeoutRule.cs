using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.WorkerLifecycle;

/// <summary>
/// GI1001: WORKER TIMEOUT lines mean the master killed workers that were silent for longer than <c>timeout</c>. When the
/// instance has request-duration histograms the diagnosis says how many requests were slower than the timeout, and
/// when SIGKILLs followed the timeouts it says they were Gunicorn's own follow-up kills of hard-stuck workers, not the
/// OOM killer.
/// </summary>
public sealed class WorkerTimeoutRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerTimeouts timeouts = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        IReadOnlyList<WorkerKill> followUpKills = null!;

        When()
            .Match(() => timeouts)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == timeouts.Instance)
            .Collect(() => followUpKills, (WorkerKill k) => k.Instance == timeouts.Instance, k => k.AfterTimeout);
        Then()
            .Report(WorkerLifecycleDescriptors.WorkerTimeout, () => Finding
                .Of(timeouts.Count, timeouts.Pids.Count, timeouts.Timeout,
                    timeouts.TimeoutSetting.IsDefault ? " (Gunicorn's default; no timeout setting was found)" : "",
                    RequestDurations.SlowerThanTimeoutClause(histograms, timeouts.Timeout),
                    FollowUpKillClause(followUpKills))
                .Because(timeouts, RequestDurations.Representative(histograms), followUpKills));
    }

    /// <summary>The clause about SIGKILLs Gunicorn sent after the timeouts; empty when there were none.</summary>
    internal static string FollowUpKillClause(IReadOnlyList<WorkerKill> kills)
    {
        var pids = kills.Select(k => k.Kill.Pid).Distinct().ToArray();
        return pids.Length == 0
            ? ""
            : $"; {pids.Length} timed-out worker(s) (pid {Pids(pids)}) then got SIGKILL from Gunicorn itself because they did "
                + "not exit on SIGABRT: stuck hard (C code, uninterruptible I/O), not killed for memory, whatever the log's "
                + "\"Perhaps out of memory?\" suggests";
    }

    /// <summary>Up to five pids, comma-separated, with an ellipsis for more.</summary>
    internal static string Pids(IReadOnlyList<int> pids) =>
        string.Join(", ", pids.Take(5).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture))) + (pids.Count > 5 ? ", …" : "");
}
