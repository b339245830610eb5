using Gunicorn.Insights.Engine.Compilation;

namespace Gunicorn.Insights.Engine.Runtime;

/// <summary>
/// Finds all matches of one rule against working memory, depth first through its elements: fact-only conditions
/// come from the element's cache, joins probe the element's hash index, and not/exists/aggregates read the facts
/// that satisfy their conditions for the current partial match. Each match found is reconciled with the rule's
/// activations: new ones and changed ones become pending, vanished ones are reported back for unlinking.
/// </summary>
internal sealed class RuleEvaluator(WorkingMemory memory, int elementCount)
{
    /// <summary>Shared and never added to: the candidates of a probe that finds no bucket.</summary>
    private static readonly List<FactHandle> NoCandidates = [];

    private readonly List<long> _signature = [];
    private readonly List<Activation> _found = [];
    private readonly List<Activation> _vanished = [];

    // One pair of buffers per element position: an aggregate's lists are only in use while deeper elements run.
    private readonly List<List<object>> _aggregateFacts = [];
    private readonly List<List<object?>> _aggregateValues = [];
    private RuleState _state = null!;
    private object?[] _tuple = [];
    private FactHandle[] _handles = [];
    private readonly ElementMemory?[] _elementMemories = new ElementMemory?[elementCount];
    private long _pass;
    private long _sequence;
    private long[]? _arrivals;

    /// <summary>
    /// Re-evaluates <paramref name="state"/>'s rule; returns the activations whose match went away (the caller unlinks
    /// their outputs). The list is reused by the next call.
    /// </summary>
    public List<Activation> Evaluate(RuleState state, long pass)
    {
        _state = state;
        _pass = pass;
        _tuple = new object?[state.Rule.SlotCount];
        _handles = new FactHandle[state.Rule.MatchedFactCount];
        _signature.Clear();

        // An aggregate adds two entries per fact it gathers, and one over a base type may gather them all: sized for
        // that once, rather than doubling its way up through the session's first evaluations.
        _signature.EnsureCapacity((2 * memory.Count) + 16);
        _found.Clear();
        Descend(0, 0);

        var pending = state.Pending;
        pending.Clear();
        foreach (var activation in _found)
        {
            if (activation.IsPending)
            {
                pending.Enqueue(activation);
            }
        }

        _found.Clear();
        var vanished = _vanished;
        vanished.Clear();
        if (state.Activations.Count > 0)
        {
            foreach (var activation in state.Activations.Values)
            {
                if (activation.SeenIn != pass)
                {
                    vanished.Add(activation);
                }
            }
        }

        foreach (var activation in vanished)
        {
            state.Activations.Remove(activation.Key);
        }

        if (vanished.Count > 1)
        {
            vanished.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        }

        return vanished;
    }

    /// <summary>
    /// Walks <paramref name="state"/>'s rule as <see cref="Evaluate"/> does, without touching its activations or its
    /// fault, and returns how many partial matches arrived at each element (the last entry counts complete matches).
    /// </summary>
    public long[] Trace(RuleState state)
    {
        _state = state;
        _tuple = new object?[state.Rule.SlotCount];
        _handles = new FactHandle[state.Rule.MatchedFactCount];
        _signature.Clear();
        var arrivals = new long[state.Rule.Elements.Length + 1];
        _arrivals = arrivals;
        try
        {
            Descend(0, 0);
        }
        finally
        {
            _arrivals = null;
        }

        return arrivals;
    }

    /// <summary>How many facts pass <paramref name="element"/>'s conditions on the fact alone.</summary>
    public int PassingCount(RuleState state, CompiledElement element)
    {
        _state = state;
        return element.FactType is null ? 0 : Prepare(element).Passing.Count;
    }

    private void Descend(int position, int matched)
    {
        var elements = _state.Rule.Elements;
        if (_arrivals is not null)
        {
            _arrivals[position]++;
        }

        if (position == elements.Length)
        {
            Record();
            return;
        }

        var element = elements[position];
        switch (element.Kind)
        {
            case ConditionKind.Match:
                foreach (var handle in Candidates(element))
                {
                    if (!PassesBeta(element, handle.Fact))
                    {
                        continue;
                    }

                    if (element.Slot >= 0)
                    {
                        _tuple[element.Slot] = handle.Fact;
                    }

                    _handles[matched] = handle;
                    Descend(position + 1, matched + 1);
                }

                if (element.Slot >= 0)
                {
                    _tuple[element.Slot] = null;
                }

                break;

            case ConditionKind.Not:
            case ConditionKind.Exists:
                var any = false;
                foreach (var handle in Candidates(element))
                {
                    if (PassesBeta(element, handle.Fact))
                    {
                        any = true;
                        break;
                    }
                }

                if (any == (element.Kind == ConditionKind.Exists))
                {
                    Descend(position + 1, matched);
                }

                break;

            case ConditionKind.Aggregate:
                DescendAggregate(element, position, matched);
                break;

            case ConditionKind.Let:
                object? value;
                try
                {
                    value = element.Selector!(null!, _tuple);
                }
                catch (Exception e)
                {
                    Fail(e, null);
                    break;
                }

                _tuple[element.Slot] = value;
                Descend(position + 1, matched);
                break;

            case ConditionKind.Having:
                try
                {
                    foreach (var test in element.Tests)
                    {
                        if (!test(_tuple))
                        {
                            return;
                        }
                    }
                }
                catch (Exception e)
                {
                    Fail(e, null);
                    return;
                }

                Descend(position + 1, matched);
                break;
        }
    }

    private void DescendAggregate(CompiledElement element, int position, int matched)
    {
        var mark = _signature.Count;
        while (_aggregateFacts.Count <= position)
        {
            _aggregateFacts.Add([]);
            _aggregateValues.Add([]);
        }

        var facts = _aggregateFacts[position];
        var values = _aggregateValues[position];
        facts.Clear();
        values.Clear();
        foreach (var handle in Candidates(element))
        {
            if (!PassesBeta(element, handle.Fact))
            {
                continue;
            }

            if (element.Aggregator!.UsesSelector)
            {
                try
                {
                    values.Add(element.Selector!(handle.Fact, _tuple));
                }
                catch (Exception e)
                {
                    Fail(e, handle.Fact);
                    continue;
                }
            }

            facts.Add(handle.Fact);
            _signature.Add(handle.Id);
            _signature.Add(handle.Version);
        }

        _signature.Add(facts.Count);
        bool hasValue;
        object? result;
        try
        {
            hasValue = element.Aggregator!.TryAggregate(facts, values, out result);
        }
        catch (Exception e)
        {
            Fail(e, null);
            hasValue = false;
            result = null;
        }

        facts.Clear();
        values.Clear();
        if (hasValue)
        {
            _tuple[element.Slot] = result;
            Descend(position + 1, matched);
        }

        _signature.RemoveRange(mark, _signature.Count - mark);
    }

    private void Record()
    {
        if (_arrivals is not null)
        {
            return;
        }

        var ids = new long[_handles.Length];
        var signature = new long[_handles.Length + _signature.Count];
        for (var i = 0; i < _handles.Length; i++)
        {
            ids[i] = _handles[i].Id;
            signature[i] = _handles[i].Version;
        }

        _signature.CopyTo(signature, _handles.Length);
        var key = new MatchKey(ids);
        if (_state.Activations.TryGetValue(key, out var activation))
        {
            if (!activation.Signature.AsSpan().SequenceEqual(signature))
            {
                activation.Signature = signature;
                activation.IsPending = true;
            }
        }
        else
        {
            activation = new Activation(key) { Signature = signature, IsPending = true, Sequence = _sequence++ };
            _state.Activations.Add(key, activation);
        }

        activation.Values = (object?[])_tuple.Clone();
        activation.SeenIn = _pass;
        _found.Add(activation);
    }

    private List<FactHandle> Candidates(CompiledElement element)
    {
        var cache = Prepare(element);
        if (cache.Index is null)
        {
            return cache.Passing;
        }

        object? key;
        try
        {
            key = element.MatchKey!(_tuple);
        }
        catch (Exception e)
        {
            Fail(e, null);
            return NoCandidates;
        }

        return cache.Index.TryGetValue(key ?? ElementMemory.NullKey, out var bucket) ? bucket : NoCandidates;
    }

    private ElementMemory Prepare(CompiledElement element)
    {
        // Created on first use: many elements are never reached in a session (the ones after an element that does not match).
        var cache = _elementMemories[element.GlobalIndex] ??= new ElementMemory();
        var stamp = memory.StampOf(element.FactType!);
        if (stamp == cache.Stamp)
        {
            return cache;
        }

        cache.Stamp = stamp;
        cache.Passing.Clear();
        var lists = memory.ListsFor(element.FactType!);
        if (lists.Length == 1)
        {
            lists[0].CopyLiveTo(cache.Passing);
        }
        else if (lists.Length > 1)
        {
            // Sized once: a pattern on a base type (Observation) may gather every fact in the session.
            var count = 0;
            foreach (var list in lists)
            {
                count += list.Count;
            }

            cache.Passing.EnsureCapacity(count);
            // Several concrete types under one pattern: merge them in insertion order so results do not depend on type
            // order; each list is already in that order, so this is linear where sorting the whole was not.
            FactList.MergeLive(lists, cache.Passing);
        }

        if (element.Alpha.Length > 0)
        {
            // In place, without a predicate closure: this runs for every element whose facts changed.
            var passing = cache.Passing;
            var kept = 0;
            for (var i = 0; i < passing.Count; i++)
            {
                if (PassesAlpha(element, passing[i].Fact))
                {
                    passing[kept++] = passing[i];
                }
            }

            passing.RemoveRange(kept, passing.Count - kept);
        }

        cache.Index = element.FactKey is null ? null : BuildIndex(element, cache.Passing);
        return cache;
    }

    private Dictionary<object, List<FactHandle>> BuildIndex(CompiledElement element, List<FactHandle> passing)
    {
        var index = new Dictionary<object, List<FactHandle>>();
        foreach (var handle in passing)
        {
            object key;
            try
            {
                key = element.FactKey!(handle.Fact) ?? ElementMemory.NullKey;
            }
            catch (Exception e)
            {
                Fail(e, handle.Fact);
                continue;
            }

            if (!index.TryGetValue(key, out var bucket))
            {
                bucket = [];
                index[key] = bucket;
            }

            bucket.Add(handle);
        }

        return index;
    }

    private bool PassesAlpha(CompiledElement element, object fact)
    {
        try
        {
            foreach (var condition in element.Alpha)
            {
                if (!condition(fact))
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception e)
        {
            Fail(e, fact);
            return false;
        }
    }

    private bool PassesBeta(CompiledElement element, object fact)
    {
        try
        {
            foreach (var condition in element.Beta)
            {
                if (!condition(fact, _tuple))
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception e)
        {
            Fail(e, fact);
            return false;
        }
    }

    /// <summary>A rule's delegate threw: the rule is faulted and the candidate does not match.</summary>
    private void Fail(Exception exception, object? fact)
    {
        if (_arrivals is not null)
        {
            return;
        }

        if (_state.Fault is { } fault)
        {
            fault.Count++;
        }
        else
        {
            _state.Fault = new RuleFault("evaluating its conditions", exception, fact);
        }
    }
}
