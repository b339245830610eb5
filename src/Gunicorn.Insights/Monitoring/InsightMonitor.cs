using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;

namespace Gunicorn.Insights.Monitoring;

/// <summary>
/// Continuous diagnosis: a host feeds observations as they arrive and gets back the diagnoses that started
/// (<see cref="DiagnosisChangeKind.Firing"/>) or stopped (<see cref="DiagnosisChangeKind.Resolved"/>) holding, like
/// alerts. One long-lived <see cref="RuleSession"/> holds a sliding window of observations, so each update re-evaluates
/// only the rules whose fact types changed.
/// </summary>
/// <remarks>
/// <para>Lifetimes. An observation with a time (its timestamp; for aggregates such as log signatures, traffic summaries
/// and histograms, the last time they saw) is retracted once it is older than <c>now - Window</c>. Configuration and
/// host state without a time (<c>ConfigParameter</c>, <c>LaunchCommand</c>, <c>HostFacts</c>, <c>FilesystemMount</c>,
/// <c>SoftwareVersion</c>) holds until an update brings state of the same type from the same source (file or host
/// source name, without the line) for the same instance: that update's observations then replace all of it, so a
/// re-read configuration file replaces the previous reading as a whole. Any other observation without a time counts as
/// seen when it arrived.</para>
/// <para>Snapshots. A source that reports cumulative values (a Prometheus scrape) can be named in
/// <see cref="Update(IEnumerable{Observation}, DateTimeOffset, IReadOnlyCollection{string})"/>: everything held from it
/// is replaced by the new snapshot rather than added to, so counters are not counted twice.</para>
/// <para>Changes are found by comparing the diagnoses' <see cref="Diagnosis.Key"/> before and after the update; a
/// diagnosis whose key holds on both sides emits nothing, even if its counts moved.</para>
/// <para>Thread safety: every member takes one lock, so a monitor can be fed from a timer and read from elsewhere;
/// updates run one at a time.</para>
/// </remarks>
public sealed class InsightMonitor
{
    private readonly object _gate = new();
    private readonly RuleSession _session;
    private readonly List<(Observation Fact, DateTimeOffset LastSeen)> _timed = [];
    private readonly Dictionary<StateIdentity, List<Observation>> _state = [];
    private readonly HashSet<Observation> _held = new(ReferenceEqualityComparer.Instance);
    private IReadOnlyList<Diagnosis> _active = [];

    /// <summary>Creates a monitor with one session from <paramref name="sessionFactory"/>, reporting with <paramref name="configuration"/>.</summary>
    public InsightMonitor(SessionFactory sessionFactory, InsightConfiguration configuration, InsightMonitorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sessionFactory);
        ArgumentNullException.ThrowIfNull(configuration);
        Options = options ?? new InsightMonitorOptions();
        _session = sessionFactory.CreateSession(configuration);
    }

    /// <summary>The window and other options.</summary>
    public InsightMonitorOptions Options { get; }

    /// <summary>The diagnoses that hold after the last update (suppressed ones excluded), most severe first.</summary>
    public IReadOnlyList<Diagnosis> Active
    {
        get
        {
            lock (_gate)
            {
                return _active;
            }
        }
    }

    /// <summary>How many observations the monitor holds now.</summary>
    public int ObservationCount
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>The session, for tests that check how much work an update did.</summary>
    internal RuleSession Session => _session;

    /// <summary>
    /// Adds <paramref name="added"/>, retracts what left the window ending at <paramref name="now"/>, runs the rules and
    /// returns the diagnoses that resolved and then those that started firing.
    /// </summary>
    public IReadOnlyList<DiagnosisChange> Update(IEnumerable<Observation> added, DateTimeOffset now) => Update(added, now, []);

    /// <summary>
    /// As <see cref="Update(IEnumerable{Observation}, DateTimeOffset)"/>, and first drops everything held from
    /// <paramref name="snapshotSources"/> (source names without lines): their observations in <paramref name="added"/>
    /// are a new snapshot that replaces the old one.
    /// </summary>
    public IReadOnlyList<DiagnosisChange> Update(IEnumerable<Observation> added, DateTimeOffset now, IReadOnlyCollection<string> snapshotSources)
    {
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(snapshotSources);
        var batch = added.ToList();
        lock (_gate)
        {
            var horizon = now - Options.Window;
            if (snapshotSources.Count > 0)
            {
                var replaced = new HashSet<string>(snapshotSources, StringComparer.Ordinal);
                RetractTimed(entry => replaced.Contains(entry.Fact.Source.Source));
            }

            foreach (var group in batch.Where(ObservationLifetime.IsState).GroupBy(ObservationLifetime.IdentityOf))
            {
                ReplaceState(group.Key, group.ToList());
            }

            foreach (var observation in batch.Where(o => !ObservationLifetime.IsState(o)))
            {
                var lastSeen = ObservationLifetime.LastSeen(observation) ?? now;
                if (lastSeen >= horizon && _held.Add(observation))
                {
                    _session.Insert(observation);
                    _timed.Add((observation, lastSeen));
                }
            }

            RetractTimed(entry => entry.LastSeen < horizon);
            _session.Fire();
            return Compare(_session.Diagnoses, now);
        }
    }

    private void RetractTimed(Func<(Observation Fact, DateTimeOffset LastSeen), bool> leaving)
    {
        _timed.RemoveAll(entry =>
        {
            if (!leaving(entry))
            {
                return false;
            }

            _session.Retract(entry.Fact);
            _held.Remove(entry.Fact);
            return true;
        });
    }

    /// <summary>
    /// Puts a new reading of one piece of state in the place of the old. Equal observations stay as they are and changed
    /// ones replace old ones in place, so matches keep their identity and only what really changed is evaluated again.
    /// </summary>
    private void ReplaceState(StateIdentity identity, List<Observation> reading)
    {
        var previous = _state.GetValueOrDefault(identity) ?? [];
        var unmatched = new List<Observation>(previous);
        var kept = new List<Observation>();
        var fresh = new List<Observation>();
        foreach (var observation in reading)
        {
            var index = unmatched.FindIndex(old => old.Equals(observation));
            if (index >= 0)
            {
                kept.Add(unmatched[index]);
                unmatched.RemoveAt(index);
            }
            else if (!_held.Contains(observation))
            {
                fresh.Add(observation);
            }
        }

        foreach (var observation in fresh)
        {
            if (unmatched.Count > 0)
            {
                _session.Replace(unmatched[^1], observation);
                _held.Remove(unmatched[^1]);
                unmatched.RemoveAt(unmatched.Count - 1);
            }
            else
            {
                _session.Insert(observation);
            }

            _held.Add(observation);
            kept.Add(observation);
        }

        foreach (var old in unmatched)
        {
            _session.Retract(old);
            _held.Remove(old);
        }

        _state[identity] = kept;
    }

    private List<DiagnosisChange> Compare(IReadOnlyList<Diagnosis> current, DateTimeOffset now)
    {
        var before = _active.ToDictionary(d => d.Key, StringComparer.Ordinal);
        var after = current.ToDictionary(d => d.Key, StringComparer.Ordinal);
        var changes = new List<DiagnosisChange>();
        changes.AddRange(_active.Where(d => !after.ContainsKey(d.Key)).Select(d => new DiagnosisChange(DiagnosisChangeKind.Resolved, d, now)));
        changes.AddRange(current.Where(d => !before.ContainsKey(d.Key)).Select(d => new DiagnosisChange(DiagnosisChangeKind.Firing, d, now)));
        _active = current;
        return changes;
    }
}
