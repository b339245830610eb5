using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Derivations;

/// <summary>
/// The finding "requests hit the worker timeout on this instance": every WORKER TIMEOUT seen for it, with the effective
/// configuration that set the timeout. Every rule about a cause of worker timeouts matches this fact instead of
/// repeating how timeouts are recognised.
/// </summary>
public sealed record WorkerTimeouts : DerivedFact
{
    /// <summary>Creates the finding.</summary>
    public WorkerTimeouts(GunicornConfiguration configuration, IReadOnlyList<LogSignature> signatures, IReadOnlyList<WorkerEvent> events)
        : base([.. signatures.Count > 0 ? signatures.Cast<Observation>() : events.Take(MaximumEventsCited), configuration[GunicornSettingCatalog.Timeout.Name]])
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configuration = configuration;
        Signatures = signatures;
        Events = events;
        Instance = configuration.Instance;
        Count = signatures.Count > 0 ? signatures.Sum(s => s.Count) : events.Count;
        Pids = signatures.SelectMany(s => s.Pids).Concat(events.Select(e => e.Pid)).Distinct().ToArray();
        var times = signatures.SelectMany(s => new[] { s.FirstSeen, s.LastSeen }).Concat(events.Select(e => e.Timestamp))
            .OfType<DateTimeOffset>().ToArray();
        FirstSeen = times.Length > 0 ? times.Min() : null;
        LastSeen = times.Length > 0 ? times.Max() : null;
    }

    /// <summary>
    /// How many individual events are cited as evidence at most, when no signature summarises them; the count covers
    /// them all. A signature already names the count, pids, times and first line, so its events are not cited again.
    /// </summary>
    public const int MaximumEventsCited = 5;

    /// <summary>The instance's effective configuration.</summary>
    public GunicornConfiguration Configuration { get; init; }

    /// <summary>The WORKER TIMEOUT signatures (one per input that had them).</summary>
    public IReadOnlyList<LogSignature> Signatures { get; init; }

    /// <summary>The individual WORKER TIMEOUT events, where a reader kept them.</summary>
    public IReadOnlyList<WorkerEvent> Events { get; init; }

    /// <summary>How many WORKER TIMEOUT lines there were.</summary>
    public long Count { get; init; }

    /// <summary>The pids of the workers that timed out.</summary>
    public IReadOnlyList<int> Pids { get; init; }

    /// <summary>The first timeout's time, when known.</summary>
    public DateTimeOffset? FirstSeen { get; init; }

    /// <summary>The last timeout's time, when known.</summary>
    public DateTimeOffset? LastSeen { get; init; }

    /// <summary>The effective worker timeout.</summary>
    public TimeSpan Timeout => Configuration.Timeout;

    /// <summary>The parameter that set the timeout (a default when nobody set it), for evidence.</summary>
    public ConfigParameter TimeoutSetting => Configuration[GunicornSettingCatalog.Timeout.Name];

    /// <inheritdoc />
    public override string Describe() => $"{Count} WORKER TIMEOUT line(s) for {Pids.Count} worker(s), timeout {Timeout.TotalSeconds:0.###} s";
}
