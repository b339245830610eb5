namespace Gunicorn.Insights.Engine.Runtime;

/// <summary>The facts of one concrete type, in insertion order, with a version that changes with any of them.</summary>
internal sealed class FactList(Type type)
{
    private readonly List<FactHandle> _items = [];
    private int _retracted;

    public Type Type { get; } = type;

    public long Version { get; private set; }

    public int Count => _items.Count - _retracted;

    public void Add(FactHandle handle)
    {
        _items.Add(handle);
        Version++;
    }

    public void Touch() => Version++;

    public void Remove(FactHandle handle)
    {
        handle.IsRetracted = true;
        _retracted++;
        Version++;

        // Compact lazily so that retracting many facts stays linear overall.
        if (_retracted > 32 && _retracted > _items.Count / 2)
        {
            _items.RemoveAll(h => h.IsRetracted);
            _retracted = 0;
        }
    }

    /// <summary>The live facts, in insertion order.</summary>
    public IEnumerable<FactHandle> Live()
    {
        foreach (var handle in _items)
        {
            if (!handle.IsRetracted)
            {
                yield return handle;
            }
        }
    }

    public void CopyLiveTo(List<FactHandle> into)
    {
        if (_retracted == 0)
        {
            into.AddRange(_items);
            return;
        }

        foreach (var handle in _items)
        {
            if (!handle.IsRetracted)
            {
                into.Add(handle);
            }
        }
    }

    /// <summary>Adds at most <paramref name="limit"/> live facts, the earliest.</summary>
    public void CopyLiveTo(List<FactHandle> into, int limit)
    {
        foreach (var handle in _items)
        {
            if (limit == 0)
            {
                return;
            }

            if (!handle.IsRetracted)
            {
                into.Add(handle);
                limit--;
            }
        }
    }

    /// <summary>Adds the live facts of every list, in insertion order across them all.</summary>
    public static void MergeLive(FactList[] lists, List<FactHandle> into)
    {
        var next = new int[lists.Length];
        while (true)
        {
            var from = -1;
            FactHandle? earliest = null;
            for (var l = 0; l < lists.Length; l++)
            {
                var items = lists[l]._items;
                while (next[l] < items.Count && items[next[l]].IsRetracted)
                {
                    next[l]++;
                }

                if (next[l] < items.Count && (earliest is null || items[next[l]].Id < earliest.Id))
                {
                    earliest = items[next[l]];
                    from = l;
                }
            }

            if (earliest is null)
            {
                return;
            }

            into.Add(earliest);
            next[from]++;
        }
    }
}
