using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine.Compilation;
using Gunicorn.Insights.Engine.Runtime;

namespace Gunicorn.Insights.Engine;

/// <summary>
/// A working session: insert, update and retract facts, then <see cref="Fire"/> to run the rules until nothing more
/// fires. Sessions are cheap and single-threaded; create one per analysis (or keep one and feed it changes: only the
/// rules whose facts changed are evaluated again, and only new or changed matches fire).
/// </summary>
/// <remarks>
/// Agenda: among the matches waiting to fire, the one of the highest-priority rule fires first, then rules in rule-set
/// order, then matches in the order their facts were inserted. A rule is re-evaluated lazily, just before its turn,
/// when a fact type it reads has changed, so a fact derived by one firing is seen by every rule that comes after it.
/// </remarks>
public sealed class RuleSession
{
    private readonly WorkingMemory _memory = new();
    private readonly RuleState[] _states;
    private readonly RuleEvaluator _evaluator;
    private readonly FiringContext _context;
    private readonly int _maxFirings;

    // What the firing match yielded; firings do not nest, so one list serves them all.
    private readonly List<object> _yielded = [];
    private readonly Dictionary<Type, (long Stamp, bool Any, IReadOnlyList<Evidence> Evidence)> _checkedEvidence = [];
    private long _pass;
    private long _outputVersion;
    private long _snapshotVersion = -1;
    private (IReadOnlyList<Diagnosis> Reported, IReadOnlyList<Diagnosis> Suppressed) _snapshot = ([], []);
    private (long Firings, string Rule)? _firingLimit;

    internal RuleSession(CompiledRule[] rules, int elementCount, InsightConfiguration configuration, int maxFirings)
    {
        Configuration = configuration;
        _maxFirings = maxFirings;
        _states = rules
            .Select(rule => new RuleState(rule, !rule.OnlyReports || rule.Descriptors.Any(d => configuration.EffectiveSeverity(d) is not null)))
            .ToArray();
        _evaluator = new RuleEvaluator(_memory, elementCount);
        _context = new FiringContext(this);
    }

    /// <summary>The rule configuration this session reports with.</summary>
    public InsightConfiguration Configuration { get; }

    /// <summary>How many times a rule was evaluated against working memory, for tests that pin down incremental work.</summary>
    internal long RuleEvaluations { get; private set; }

    /// <summary>How many facts the session holds, derived facts included.</summary>
    public int FactCount => _memory.Count;

    /// <summary>
    /// The live diagnoses that are not suppressed, most severe first, then by rule ID, instance and the order in
    /// which their evidence was inserted. Engine diagnoses (a rule that threw) are among them.
    /// </summary>
    public IReadOnlyList<Diagnosis> Diagnoses => Snapshot().Reported;

    /// <summary>The live diagnoses the user suppressed, each with its suppression's justification.</summary>
    public IReadOnlyList<Diagnosis> SuppressedDiagnoses => Snapshot().Suppressed;

    /// <summary>
    /// Every reporting rule's outcome after the last <see cref="Fire"/>: fired, passed (with a few of the facts it
    /// checked), had no evidence, or disabled; in agenda order.
    /// </summary>
    public IReadOnlyList<RuleCheck> Checks => _states.Where(s => s.Rule.Descriptors.Length > 0).Select(Check).ToArray();

    /// <summary>Inserts a fact.</summary>
    /// <exception cref="InvalidOperationException">The same object is already in the session.</exception>
    public void Insert(object fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        _memory.Insert(fact);
    }

    /// <summary>Inserts every fact of <paramref name="facts"/>.</summary>
    public void InsertAll(IEnumerable<object> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.TryGetNonEnumeratedCount(out var count))
        {
            _memory.EnsureCapacity(count);
        }

        foreach (var fact in facts)
        {
            Insert(fact);
        }
    }

    /// <summary>Tells the session that a mutable fact changed: matches that read it are re-evaluated and refire if they still hold.</summary>
    /// <exception cref="InvalidOperationException">The fact is not in the session.</exception>
    public void Update(object fact) => _memory.Update(HandleOf(fact));

    /// <summary>
    /// Puts <paramref name="replacement"/> (of the same type) in the place of <paramref name="current"/>, the way to change an
    /// immutable observation: matches keep their identity and are updated, not retracted and raised again.
    /// </summary>
    public void Replace(object current, object replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        _memory.Replace(HandleOf(current), replacement);
    }

    /// <summary>Removes a fact; diagnoses and derived facts that depended on it go away at the next <see cref="Fire"/>.</summary>
    /// <exception cref="InvalidOperationException">The fact is not in the session.</exception>
    public void Retract(object fact) => _memory.Retract(HandleOf(fact));

    /// <summary>Removes a fact if it is in the session.</summary>
    public bool TryRetract(object fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (!_memory.TryGet(fact, out var handle))
        {
            return false;
        }

        _memory.Retract(handle);
        return true;
    }

    /// <summary>The facts of <typeparamref name="TFact"/> (derived ones included), in insertion order.</summary>
    public IReadOnlyList<TFact> Query<TFact>() => _memory.FactsOf(typeof(TFact)).Cast<TFact>().ToArray();

    /// <summary>
    /// Why the rules reporting <paramref name="ruleIdOrName"/> (a diagnosis ID such as <c>GI1001</c>, or a rule's name,
    /// with or without its namespace)
    /// did or did not conclude on this session's facts, condition by condition. Call it after <see cref="Fire"/>.
    /// </summary>
    /// <returns>One explanation per matching rule; empty when no rule has that ID or name.</returns>
    public IReadOnlyList<RuleExplanation> Explain(string ruleIdOrName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ruleIdOrName);
        var explanations = new List<RuleExplanation>();
        foreach (var state in _states)
        {
            var rule = state.Rule;
            var reportsId = rule.Descriptors.Any(d => string.Equals(d.Id, ruleIdOrName, StringComparison.OrdinalIgnoreCase));
            if (!reportsId && !string.Equals(rule.Name, ruleIdOrName, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(rule.Name[(rule.Name.LastIndexOfAny(['.', '+']) + 1)..], ruleIdOrName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // GI0003 is reported by every rule that can lack evidence; asked by ID, it explains the rules that reported it.
            if (reportsId && ruleIdOrName.Equals(EngineDescriptors.InsufficientEvidence.Id, StringComparison.OrdinalIgnoreCase)
                && !state.Activations.Values.Any(a => a.Diagnoses.Any(d => d.Id == EngineDescriptors.InsufficientEvidence.Id)))
            {
                continue;
            }

            explanations.Add(Explain(state));
        }

        return explanations;
    }

    private RuleExplanation Explain(RuleState state)
    {
        var arrivals = _evaluator.Trace(state);
        var conditions = state.Rule.Elements.Select(element => new ConditionTrace
        {
            Position = element.Position,
            Kind = element.Kind,
            FactType = element.FactType,
            Conditions = element.ConditionTexts,
            FactsOfType = element.FactType is null ? 0 : _memory.CountOf(element.FactType),
            FactsPassingOwnConditions = _evaluator.PassingCount(state, element),
            MatchesIn = arrivals[element.Position],
            MatchesOut = arrivals[element.Position + 1],
            DerivedBy = element.FactType is null
                ? []
                : _states.Where(s => s.Rule.YieldedTypes.Any(t => element.FactType.IsAssignableFrom(t))).Select(s => s.Rule.Name).ToArray(),
        }).ToArray();
        return new RuleExplanation(state.Rule.Name, state.Rule.Descriptors, Check(state), conditions, arrivals[^1]);
    }

    /// <summary>Runs the rules until no match is waiting to fire; returns how many matches fired.</summary>
    public int Fire()
    {
        var fired = 0;
        while (true)
        {
            var next = NextActivation();
            if (next is null)
            {
                return fired;
            }

            if (fired >= _maxFirings)
            {
                _firingLimit = (fired, next.Value.State.Rule.Name);
                _outputVersion++;
                return fired;
            }

            FireActivation(next.Value.State, next.Value.Activation);
            fired++;
        }
    }

    /// <summary>
    /// Brings stale rules up to date in agenda order and returns the first waiting match; null when every rule is
    /// current and none waits.
    /// </summary>
    private (RuleState State, Activation Activation)? NextActivation()
    {
        while (true)
        {
            var changeAtStart = _memory.ChangeCounter;
            foreach (var state in _states)
            {
                if (!state.Enabled)
                {
                    continue;
                }

                if (IsStale(state))
                {
                    Evaluate(state);
                }

                while (state.Pending.TryPeek(out var activation))
                {
                    if (activation.IsPending && state.Activations.ContainsKey(activation.Key))
                    {
                        return (state, activation);
                    }

                    state.Pending.Dequeue();
                }
            }

            // Unlinking vanished matches may have changed facts that rules earlier in the order read.
            if (_memory.ChangeCounter == changeAtStart)
            {
                return null;
            }
        }
    }

    private RuleCheck Check(RuleState state)
    {
        const int citedFacts = 3;
        if (!state.Enabled)
        {
            return new RuleCheck(state.Rule.Name, state.Rule.Descriptors, RuleCheckOutcome.Disabled, []);
        }

        if (state.Activations.Values.Any(a => a.Diagnoses.Count > 0))
        {
            return new RuleCheck(state.Rule.Name, state.Rule.Descriptors, RuleCheckOutcome.Fired, []);
        }

        // The facts of the type its first condition reads are what it looked at before concluding nothing was wrong.
        var first = state.Rule.Elements.FirstOrDefault(e => e.FactType is not null);
        if (first is null)
        {
            return new RuleCheck(state.Rule.Name, state.Rule.Descriptors, RuleCheckOutcome.NoEvidence, []);
        }

        // Many rules start with the same fact type; they cite the same facts, described once while those facts stand.
        var stamp = _memory.StampOf(first.FactType!);
        if (!_checkedEvidence.TryGetValue(first.FactType!, out var cited) || cited.Stamp != stamp)
        {
            var checkedFacts = _memory.FirstFactsOf(first.FactType!, citedFacts);
            cited = (stamp, checkedFacts.Length > 0, checkedFacts.Length == 0 ? [] : EvidenceCollector.Collect(checkedFacts));
            _checkedEvidence[first.FactType!] = cited;
        }

        return !cited.Any
            ? new RuleCheck(state.Rule.Name, state.Rule.Descriptors, RuleCheckOutcome.NoEvidence, [])
            : new RuleCheck(state.Rule.Name, state.Rule.Descriptors, RuleCheckOutcome.Passed, cited.Evidence);
    }

    private bool IsStale(RuleState state)
    {
        if (state.CheckedAt == _memory.ChangeCounter)
        {
            return false;
        }

        state.CheckedAt = _memory.ChangeCounter;
        return _memory.StampOf(state.Rule.FactTypes) != state.Stamp;
    }

    private void Evaluate(RuleState state)
    {
        state.Stamp = _memory.StampOf(state.Rule.FactTypes);
        RuleEvaluations++;
        var faultBefore = state.Fault?.Count;
        var vanished = _evaluator.Evaluate(state, ++_pass);
        if (state.Fault?.Count != faultBefore)
        {
            _outputVersion++;
        }

        foreach (var activation in vanished)
        {
            Unlink(activation);
        }

        // Unlinking changes working memory; a rule reading its own derived facts must look again.
        state.CheckedAt = -1;
    }

    private void FireActivation(RuleState state, Activation activation)
    {
        state.Pending.Dequeue();
        activation.IsPending = false;
        FactHandle[] previousFacts = activation.Yielded.Count == 0 ? [] : [.. activation.Yielded];
        activation.Yielded.Clear();
        activation.Diagnoses.Clear();
        var yielded = _yielded;
        yielded.Clear();
        _context.Begin(state, activation);
        foreach (var action in state.Rule.Actions)
        {
            try
            {
                if (action.Condition is { } condition && !condition(activation.Values))
                {
                    continue;
                }

                switch (action.Kind)
                {
                    case ActionKind.Report:
                        Report(state, activation, action.Descriptor!, (Finding)action.Build!(activation.Values));
                        break;
                    case ActionKind.Yield:
                        yielded.Add(action.Build!(activation.Values));
                        break;
                    case ActionKind.YieldAll:
                        yielded.AddRange(((System.Collections.IEnumerable)action.Build!(activation.Values)).OfType<object>());
                        break;
                    case ActionKind.Do:
                        action.Run!(_context, activation.Values);
                        break;
                }
            }
            catch (Exception e)
            {
                RecordFiringFault(state, e);
            }
        }

        _context.End();
        LinkYielded(state, activation, previousFacts, yielded);
        yielded.Clear();
        activation.HasFired = true;
        _outputVersion++;
    }

    /// <summary>
    /// Links what a firing yielded to its match. A refiring match keeps its facts' identities: an equal fact is kept
    /// as it is, a changed one replaces the old in place, so rules that read it see an update rather than a new fact.
    /// </summary>
    private void LinkYielded(RuleState state, Activation activation, FactHandle[] previous, List<object> yielded)
    {
        for (var i = 0; i < yielded.Count; i++)
        {
            var fact = yielded[i];
            try
            {
                if (i < previous.Length && !previous[i].IsRetracted && previous[i].List.Type == fact.GetType())
                {
                    if (!Equals(previous[i].Fact, fact))
                    {
                        _memory.Replace(previous[i], fact);
                    }

                    activation.Yielded.Add(previous[i]);
                }
                else
                {
                    var handle = _memory.Insert(fact);
                    handle.Owner = activation;
                    activation.Yielded.Add(handle);
                }
            }
            catch (InvalidOperationException e)
            {
                RecordFiringFault(state, e);
            }
        }

        for (var i = yielded.Count; i < previous.Length; i++)
        {
            if (!previous[i].IsRetracted)
            {
                _memory.Retract(previous[i]);
            }
        }
    }

    private void Unlink(Activation activation)
    {
        foreach (var handle in activation.Yielded)
        {
            if (!handle.IsRetracted)
            {
                _memory.Retract(handle);
            }
        }

        activation.Yielded.Clear();
        if (activation.Diagnoses.Count > 0)
        {
            activation.Diagnoses.Clear();
            _outputVersion++;
        }
    }

    private void Report(RuleState state, Activation activation, InsightDescriptor descriptor, Finding finding)
    {
        if (Configuration.EffectiveSeverity(descriptor) is not { } severity)
        {
            return;
        }

        var evidence = EvidenceCollector.Collect(finding.Evidence);
        var diagnosis = new Diagnosis(descriptor, severity, DiagnosisMessage.Format(descriptor.MessageFormat, finding.Arguments), evidence)
        {
            Instance = finding.Instance ?? EvidenceCollector.CommonInstance(evidence),
            RuleName = state.Rule.Name,
            Recommendations = finding.Recommendations,
        };
        activation.Diagnoses.Add(Configuration.FindSuppression(diagnosis) is { } suppression
            ? diagnosis with { Suppression = suppression }
            : diagnosis);
    }

    private void RecordFiringFault(RuleState state, Exception exception)
    {
        if (state.Fault is { } fault)
        {
            fault.Count++;
        }
        else
        {
            state.Fault = new RuleFault("firing", exception, null);
        }

        _outputVersion++;
    }

    private FactHandle HandleOf(object fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        return _memory.TryGet(fact, out var handle)
            ? handle
            : throw new InvalidOperationException($"The fact {WorkingMemory.Describe(fact)} is not in the session.");
    }

    private (IReadOnlyList<Diagnosis> Reported, IReadOnlyList<Diagnosis> Suppressed) Snapshot()
    {
        if (_snapshotVersion == _outputVersion)
        {
            return _snapshot;
        }

        var live = new List<Diagnosis>();
        var reporting = new List<Activation>();
        foreach (var state in _states)
        {
            reporting.Clear();
            foreach (var activation in state.Activations.Values)
            {
                if (activation.Diagnoses.Count > 0)
                {
                    reporting.Add(activation);
                }
            }

            // Sequences are unique, so the unstable sort gives the order in which the matches were found.
            reporting.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
            foreach (var activation in reporting)
            {
                live.AddRange(activation.Diagnoses);
            }
        }

        live.AddRange(EngineDiagnoses());
        _snapshot = DiagnosisSnapshot.Arrange(live);
        _snapshotVersion = _outputVersion;
        return _snapshot;
    }

    private IEnumerable<Diagnosis> EngineDiagnoses()
    {
        foreach (var state in _states)
        {
            if (state.Fault is not { } fault || Configuration.EffectiveSeverity(EngineDescriptors.RuleThrew) is not { } severity)
            {
                continue;
            }

            var evidence = fault.Fact is null ? [] : EvidenceCollector.Collect([fault.Fact]);
            var message = DiagnosisMessage.Format(EngineDescriptors.RuleThrew.MessageFormat,
                [state.Rule.Name, fault.Exception.GetType().Name, fault.Phase, fault.Count, fault.Exception.Message]);
            yield return new Diagnosis(EngineDescriptors.RuleThrew, severity, message, evidence) { RuleName = state.Rule.Name };
        }

        if (_firingLimit is var (firings, rule) && Configuration.EffectiveSeverity(EngineDescriptors.FiringLimitReached) is { } limitSeverity)
        {
            var message = DiagnosisMessage.Format(EngineDescriptors.FiringLimitReached.MessageFormat, [firings, rule]);
            yield return new Diagnosis(EngineDescriptors.FiringLimitReached, limitSeverity, message, []) { RuleName = rule };
        }
    }

    /// <summary>The context a <c>Do</c> action receives; one per session, rebound for each firing.</summary>
    private sealed class FiringContext(RuleSession session) : IRuleContext
    {
        private RuleState? _state;
        private Activation? _activation;

        public string RuleName => _state?.Rule.Name ?? throw new InvalidOperationException("No rule is firing.");

        public void Begin(RuleState state, Activation activation)
        {
            _state = state;
            _activation = activation;
        }

        public void End()
        {
            _state = null;
            _activation = null;
        }

        public void Insert(object fact) => session.Insert(fact);

        public void Update(object fact) => session.Update(fact);

        public void Retract(object fact) => session.Retract(fact);

        public void Report(InsightDescriptor descriptor, Finding finding)
        {
            ArgumentNullException.ThrowIfNull(descriptor);
            ArgumentNullException.ThrowIfNull(finding);
            session.Report(_state ?? throw new InvalidOperationException("No rule is firing."), _activation!, descriptor, finding);
        }
    }
}
