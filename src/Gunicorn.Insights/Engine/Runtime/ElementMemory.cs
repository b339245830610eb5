namespace Gunicorn.Insights.Engine.Runtime;

/// <summary>
/// A session's cache for one condition element: the facts that pass its fact-only conditions and, for a join, those
/// facts indexed by their join key. Rebuilt only when a fact of the element's type changed.
/// </summary>
internal sealed class ElementMemory
{
    /// <summary>Stands for a null join key, which a dictionary cannot hold.</summary>
    public static readonly object NullKey = new();

    public long Stamp { get; set; } = -1;

    public List<FactHandle> Passing { get; } = [];

    public Dictionary<object, List<FactHandle>>? Index { get; set; }
}
