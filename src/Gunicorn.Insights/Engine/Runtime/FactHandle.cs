namespace Gunicorn.Insights.Engine.Runtime;

/// <summary>A fact in working memory: its identity (insertion number) and a version bumped on every update.</summary>
internal sealed class FactHandle(object fact, long id, FactList list)
{
    public object Fact { get; set; } = fact;

    /// <summary>The insertion number: the fact's identity and its place in evaluation order.</summary>
    public long Id { get; } = id;

    public int Version { get; set; }

    public bool IsRetracted { get; set; }

    public FactList List { get; } = list;

    /// <summary>The activation that yielded the fact, for linked facts.</summary>
    public Activation? Owner { get; set; }
}
