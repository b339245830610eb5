using System.Globalization;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// Small readings the capacity rules share: how a worker class handles concurrency, which histogram to read, and
/// how a saturation finding is worded in a message.
/// </summary>
internal static class CapacityFacts
{
    /// <summary>The first argument of a GI0003 report for <paramref name="descriptor"/>: its ID and title.</summary>
    public static string Name(InsightDescriptor descriptor) => $"{descriptor.Id} {descriptor.Title}";

    /// <summary>True when the instance runs Gunicorn's sync worker (one request at a time per worker).</summary>
    public static bool IsSync(GunicornConfiguration configuration)
    {
        var workerClass = configuration.EffectiveWorkerClass;
        return workerClass is "sync" or "egg:gunicorn#sync" || workerClass.EndsWith("SyncWorker", StringComparison.Ordinal);
    }

    /// <summary>True for event-loop workers (gevent, eventlet, tornado, uvicorn): many requests in flight per worker.</summary>
    public static bool IsAsync(GunicornConfiguration configuration)
    {
        var workerClass = configuration.EffectiveWorkerClass;
        return workerClass.Contains("gevent", StringComparison.OrdinalIgnoreCase)
            || workerClass.Contains("eventlet", StringComparison.OrdinalIgnoreCase)
            || workerClass.Contains("tornado", StringComparison.OrdinalIgnoreCase)
            || IsUvicorn(configuration);
    }

    /// <summary>True for uvicorn's ASGI worker, which takes no per-worker connection limit from Gunicorn.</summary>
    public static bool IsUvicorn(GunicornConfiguration configuration) =>
        configuration.EffectiveWorkerClass.Contains("uvicorn", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// How many requests one worker can hold in flight: <c>worker_connections</c> for gevent, eventlet and tornado,
    /// unbounded (<see cref="int.MaxValue"/>) for uvicorn, <c>threads</c> for gthread, 1 for sync.
    /// </summary>
    public static int ConcurrencyPerWorker(GunicornConfiguration configuration) =>
        IsUvicorn(configuration) ? int.MaxValue
        : IsAsync(configuration) ? configuration.WorkerConnections
        : IsSync(configuration) ? 1
        : Math.Max(1, configuration.Threads);

    /// <summary>The CPU count the host facts give, if any does.</summary>
    public static int? CpuCount(IReadOnlyList<HostFacts> hosts) => hosts.Select(h => h.CpuCount).LastOrDefault(c => c is not null);

    /// <summary>The host facts that give the CPU count, for evidence.</summary>
    public static HostFacts? CpuSource(IReadOnlyList<HostFacts> hosts) => hosts.LastOrDefault(h => h.CpuCount is not null);

    /// <summary>The histogram with the most requests (the all-paths one when there are per-path ones too), or null.</summary>
    public static RequestDurationHistogram? Largest(IReadOnlyList<RequestDurationHistogram> histograms) =>
        histograms.Where(h => h.Count > 0).OrderByDescending(h => h.Count).FirstOrDefault();

    /// <summary>Describes a saturation finding for a message without empty parts (no samples, or no overflows).</summary>
    public static string Describe(WorkerPoolSaturation saturation)
    {
        var parts = new List<string>();
        if (saturation.SaturatedSamples > 0)
        {
            var who = saturation.Capacity == 1 ? "the only worker" : string.Create(CultureInfo.InvariantCulture, $"all {saturation.Capacity} workers");
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{who} busy in {saturation.SaturatedSamples} of {saturation.Samples} samples ({saturation.SaturatedShare})"));
        }

        if (saturation.BacklogOverflows > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{saturation.BacklogOverflows} connection(s) refused by a full listen backlog (11: Resource temporarily unavailable)"));
        }

        return string.Join(", ", parts);
    }

    /// <summary>True when Gunicorn reloads on code changes (<c>--reload</c>), a development setup.</summary>
    public static bool Reloads(GunicornConfiguration configuration) =>
        configuration.TryGet("reload", out var reload) && reload.Value.TryGetBoolean(out var on) && on;

    /// <summary>A number of requests as a message shows it (histogram counts can be fractional after rate()).</summary>
    public static string Requests(double count) => DiagnosisMessage.FormatValue(count);

    /// <summary>A stretch of time as a message shows it: whole minutes from two minutes on (<c>20 min</c>), else seconds.</summary>
    public static string Span(TimeSpan span) =>
        span >= TimeSpan.FromMinutes(2)
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min")
            : DiagnosisMessage.FormatValue(span);

    /// <summary>A duration as a message shows it.</summary>
    public static string Duration(TimeSpan duration) => DiagnosisMessage.FormatValue(duration);
}
