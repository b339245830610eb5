using System.Globalization;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Quantities;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>The part of a request's time a dependency rule looks at.</summary>
internal enum TimeComponent
{
    /// <summary>Time in database queries.</summary>
    Database,

    /// <summary>Time in calls to external services.</summary>
    External,

    /// <summary>Time in the application's own code: CPU time, or what is left after database and external calls.</summary>
    Application,
}

/// <summary>The thresholds a timing rule applies, read from its descriptor's parameters.</summary>
/// <param name="DominantShare">The share of the average request a component must take.</param>
/// <param name="MinimumTime">The average time per request a component must take.</param>
/// <param name="MinimumRequests">How many requests the averages must cover to conclude.</param>
/// <param name="MaximumQueries">For the database: queries per request that count as database-bound on their own.</param>
internal sealed record TimingCriteria(Percentage DominantShare, TimeSpan MinimumTime, long MinimumRequests, double? MaximumQueries = null)
{
    /// <summary>Reads the shared timing parameters of <paramref name="descriptor"/>.</summary>
    public static TimingCriteria Of(RuleParameters parameters, InsightDescriptor descriptor, bool withQueries = false) =>
        new(new Percentage(parameters.Number(descriptor, "dominant-share")),
            parameters.Duration(descriptor, "min-time"),
            parameters.Integer(descriptor, "min-requests"),
            withQueries ? parameters.Number(descriptor, "max-queries") : null);
}

/// <summary>
/// Reads an <see cref="ApplicationTiming"/> as "where did the request's time go": which transactions spend most of
/// their time in one component, and how to say so.
/// </summary>
internal static class TimeBreakdown
{
    /// <summary>The average time per request <paramref name="timing"/> spends in <paramref name="component"/>, when measured.</summary>
    public static TimeSpan? PartOf(ApplicationTiming timing, TimeComponent component) => component switch
    {
        TimeComponent.Database => timing.AverageDatabase,
        TimeComponent.External => timing.AverageExternal,
        _ => timing.AverageCpu
            ?? (timing.AverageDatabase is { } database && timing.AverageExternal is { } external
                ? TimeSpan.FromTicks(Math.Max(0, (timing.AverageTotal - database - external).Ticks))
                : null),
    };

    /// <summary>The share of <paramref name="total"/> that <paramref name="part"/> is (at most 100 %).</summary>
    public static Percentage Share(TimeSpan part, TimeSpan total) =>
        total <= TimeSpan.Zero ? new Percentage(0) : Percentage.FromRatio(Math.Min(1, part / total));

    /// <summary>Whether <paramref name="timing"/>'s time goes mostly to <paramref name="component"/>, whatever its request count.</summary>
    public static bool Dominates(ApplicationTiming timing, TimeComponent component, TimingCriteria criteria)
    {
        if (PartOf(timing, component) is { } part && part >= criteria.MinimumTime && Share(part, timing.AverageTotal) >= criteria.DominantShare)
        {
            return true;
        }

        return component == TimeComponent.Database && criteria.MaximumQueries is { } maximum
            && timing.QueriesPerRequest is { } queries && queries >= maximum
            && (timing.AverageDatabase ?? timing.AverageTotal) >= criteria.MinimumTime;
    }

    /// <summary>
    /// The transaction that spends the most worker time in <paramref name="component"/> among those it dominates and
    /// whose averages cover enough requests; null when there is none.
    /// </summary>
    public static ApplicationTiming? Heaviest(IReadOnlyList<ApplicationTiming> timings, TimeComponent component, TimingCriteria criteria) =>
        timings.Where(t => t.Requests >= criteria.MinimumRequests && Dominates(t, component, criteria))
            .OrderByDescending(t => WorkerSeconds(t, component))
            .FirstOrDefault();

    /// <summary>
    /// The transaction <paramref name="component"/> dominates but over too few requests to conclude, when no transaction
    /// with enough requests shows it; null otherwise.
    /// </summary>
    public static ApplicationTiming? HeaviestThin(IReadOnlyList<ApplicationTiming> timings, TimeComponent component, TimingCriteria criteria) =>
        Heaviest(timings, component, criteria) is not null
            ? null
            : timings.Where(t => t.Requests < criteria.MinimumRequests && Dominates(t, component, criteria))
                .OrderByDescending(t => WorkerSeconds(t, component))
                .FirstOrDefault();

    /// <summary>
    /// Whether a slow request can stop its worker's heartbeat: true except for <c>gthread</c> workers, whose main thread
    /// keeps notifying the master while requests wait or compute in the thread pool, so a slow query, call or
    /// computation there does not by itself cause a WORKER TIMEOUT.
    /// </summary>
    public static bool RequestsBlockHeartbeat(GunicornConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.EffectiveWorkerClass != "gthread";
    }

    /// <summary>
    /// With an event-loop worker (gevent, eventlet), waiting on a monkey-patched socket does not stop the heartbeat, so a
    /// timeout while requests wait on a service means the client blocked the loop; messages say so.
    /// </summary>
    public static string AsynchronousWorkerNote(GunicornConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var workerClass = configuration.EffectiveWorkerClass;
        return workerClass.Contains("gevent", StringComparison.OrdinalIgnoreCase) || workerClass.Contains("eventlet", StringComparison.OrdinalIgnoreCase)
            ? $"; with the {workerClass} worker this means the client blocked the event loop (a C extension or an unpatched socket)"
            : "";
    }

    /// <summary>The transaction's name as messages quote it.</summary>
    public static string Name(ApplicationTiming timing) => $"'{timing.Transaction}'";

    /// <summary>The component's average time for a message: a duration, or a note when it was not measured (only the query-count test allows that).</summary>
    public static object Part(ApplicationTiming timing, TimeComponent component) =>
        PartOf(timing, component) is { } part ? part : "an unmeasured part";

    /// <summary>The component's share of the average request for a message, or a note when it was not measured.</summary>
    public static object ShareOf(ApplicationTiming timing, TimeComponent component) =>
        PartOf(timing, component) is { } part ? Share(part, timing.AverageTotal) : "share not measured";

    /// <summary>
    /// What the application-time figure is: CPU time when the agent measured it, else what is left after database and
    /// external calls.
    /// </summary>
    public static string ApplicationTimeKind(ApplicationTiming timing) =>
        timing.AverageCpu is not null ? "CPU time" : "time outside database and external calls";

    /// <summary>The queries per request as a message shows them.</summary>
    public static string Queries(ApplicationTiming timing) =>
        timing.QueriesPerRequest is { } queries
            ? string.Create(CultureInfo.InvariantCulture, $"{DiagnosisMessage.FormatValue(queries)} queries per request")
            : "query count not measured";

    /// <summary>
    /// What a thin timing showed, for an insufficient-evidence note: the transaction, its share and how few requests.
    /// </summary>
    public static string DescribeThin(ApplicationTiming timing, TimeComponent component, string where, TimingCriteria criteria) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Name(timing)} spent {DiagnosisMessage.FormatValue(Part(timing, component))} of its {DiagnosisMessage.FormatValue(timing.AverageTotal)} "
            + $"average request {where} ({ShareOf(timing, component)}), but over only {timing.Requests} request(s), fewer than {criteria.MinimumRequests}");

    /// <summary>What an insufficient-evidence note asks for when a timing covered too few requests.</summary>
    public static string SupplyMore(TimingCriteria criteria) =>
        string.Create(CultureInfo.InvariantCulture,
            $"supply timings covering at least {criteria.MinimumRequests} requests of the slow transactions (APM transaction traces for a longer period), "
            + $"or py-spy dump --pid PID --subprocesses of a busy worker before it times out");

    /// <summary>The timeouts as an insufficient-evidence note states them.</summary>
    public static string TimedOut(WorkerTimeouts timeouts) =>
        string.Create(CultureInfo.InvariantCulture, $"Gunicorn logged {timeouts.Count} WORKER TIMEOUT line(s) (timeout {DiagnosisMessage.FormatValue(timeouts.Timeout)})");

    /// <summary>The label of a rule that an insufficient-evidence note names: its ID and title.</summary>
    public static string Label(InsightDescriptor descriptor) => descriptor.Id + " " + descriptor.Title;

    private static double WorkerSeconds(ApplicationTiming timing, TimeComponent component) =>
        (PartOf(timing, component) ?? timing.AverageTotal).TotalSeconds * timing.Requests;
}
