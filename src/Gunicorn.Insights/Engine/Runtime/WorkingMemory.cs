namespace Gunicorn.Insights.Engine.Runtime;

/// <summary>
/// The session's facts by identity and by concrete type. A pattern on a base type or an interface sees every concrete
/// type assignable to it. A global change counter lets rules skip their staleness check when nothing changed.
/// </summary>
internal sealed class WorkingMemory
{
    private readonly Dictionary<object, FactHandle> _byFact = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Type, FactList> _byType = [];
    private readonly List<FactList> _lists = [];
    private readonly Dictionary<Type, FactList[]> _assignable = [];
    private readonly List<Type> _widened = [];
    private long _nextId;

    /// <summary>Bumped on every insert, update and retract.</summary>
    public long ChangeCounter { get; private set; }

    public int Count => _byFact.Count;

    /// <summary>Makes room for <paramref name="more"/> facts at once instead of growing step by step.</summary>
    public void EnsureCapacity(int more) => _byFact.EnsureCapacity(_byFact.Count + more);

    public bool TryGet(object fact, out FactHandle handle) => _byFact.TryGetValue(fact, out handle!);

    public FactHandle Insert(object fact)
    {
        if (_byFact.ContainsKey(fact))
        {
            throw new InvalidOperationException($"The fact {Describe(fact)} is already in the session; use Update to signal a change.");
        }

        var type = fact.GetType();
        if (!_byType.TryGetValue(type, out var list))
        {
            list = new FactList(type);
            _byType[type] = list;
            _lists.Add(list);
            AddToPatterns(list);
        }

        var handle = new FactHandle(fact, _nextId++, list);
        list.Add(handle);
        _byFact[fact] = handle;
        ChangeCounter++;
        return handle;
    }

    public void Update(FactHandle handle)
    {
        handle.Version++;
        handle.List.Touch();
        ChangeCounter++;
    }

    /// <summary>Puts <paramref name="replacement"/> in the place of the handle's fact, keeping its identity.</summary>
    public void Replace(FactHandle handle, object replacement)
    {
        if (!ReferenceEquals(handle.Fact, replacement) && _byFact.ContainsKey(replacement))
        {
            throw new InvalidOperationException($"The fact {Describe(replacement)} is already in the session.");
        }

        if (replacement.GetType() != handle.List.Type)
        {
            throw new InvalidOperationException(
                $"A {handle.List.Type.Name} can only be replaced by another {handle.List.Type.Name}, not by a {replacement.GetType().Name}.");
        }

        _byFact.Remove(handle.Fact);
        handle.Fact = replacement;
        _byFact[replacement] = handle;
        Update(handle);
    }

    public void Retract(FactHandle handle)
    {
        _byFact.Remove(handle.Fact);
        handle.List.Remove(handle);
        ChangeCounter++;
    }

    /// <summary>The lists of every concrete type a pattern on <paramref name="patternType"/> matches.</summary>
    public FactList[] ListsFor(Type patternType)
    {
        if (!_assignable.TryGetValue(patternType, out var lists))
        {
            var matching = new List<FactList>();
            foreach (var list in _lists)
            {
                if (patternType.IsAssignableFrom(list.Type))
                {
                    matching.Add(list);
                }
            }

            lists = [.. matching];
            _assignable[patternType] = lists;
        }

        return lists;
    }

    /// <summary>
    /// Appends a new type's list to the patterns it matches. New types arrive while rules fire (derived facts), and
    /// working every pattern's lists out again after each one cost more than the rules' own conditions.
    /// </summary>
    private void AddToPatterns(FactList list)
    {
        _widened.Clear();
        foreach (var patternType in _assignable.Keys)
        {
            if (patternType.IsAssignableFrom(list.Type))
            {
                _widened.Add(patternType);
            }
        }

        // Lists are kept in creation order, and the new list is the last one created.
        foreach (var patternType in _widened)
        {
            _assignable[patternType] = [.. _assignable[patternType], list];
        }
    }

    /// <summary>A number that changes whenever a fact a pattern on any of <paramref name="types"/> matches changes.</summary>
    public long StampOf(Type[] types)
    {
        long stamp = 0;
        foreach (var type in types)
        {
            stamp += StampOf(type);
        }

        return stamp;
    }

    /// <summary>A number that changes whenever a fact a pattern on <paramref name="type"/> matches changes.</summary>
    public long StampOf(Type type)
    {
        // Versions only grow and a new list starts with its first fact, so the sum changes exactly when a fact the
        // pattern matches changes; facts of unrelated new types leave it alone.
        long stamp = 0;
        foreach (var list in ListsFor(type))
        {
            stamp += list.Version;
        }

        return stamp;
    }

    public IEnumerable<object> FactsOf(Type type) =>
        ListsFor(type).SelectMany(l => l.Live()).OrderBy(h => h.Id).Select(h => h.Fact);

    /// <summary>The first <paramref name="count"/> facts of <paramref name="type"/> in insertion order, without sorting them all.</summary>
    public object[] FirstFactsOf(Type type, int count)
    {
        // Each list is in insertion order, so the first facts overall are among the first of every list.
        var first = new List<FactHandle>();
        foreach (var list in ListsFor(type))
        {
            list.CopyLiveTo(first, count);
        }

        first.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        var facts = new object[Math.Min(count, first.Count)];
        for (var i = 0; i < facts.Length; i++)
        {
            facts[i] = first[i].Fact;
        }

        return facts;
    }

    /// <summary>How many live facts a pattern on <paramref name="type"/> matches.</summary>
    public int CountOf(Type type)
    {
        var count = 0;
        foreach (var list in ListsFor(type))
        {
            count += list.Count;
        }

        return count;
    }

    internal static string Describe(object fact) =>
        fact is Observations.Observation observation ? $"'{observation.Describe()}' ({observation.Source})" : $"'{fact}'";
}
