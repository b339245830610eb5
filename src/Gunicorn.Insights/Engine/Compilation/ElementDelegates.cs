namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>An element's conditions compiled to delegates, all at once, the first time a session evaluates the element.</summary>
internal sealed class ElementDelegates
{
    public required Func<object, bool>[] Alpha { get; init; }

    public required Func<object, object?[], bool>[] Beta { get; init; }

    public Func<object, object?>? FactKey { get; init; }

    public Func<object?[], object?>? MatchKey { get; init; }

    public Func<object, object?[], object?>? Selector { get; init; }

    public required Func<object?[], bool>[] Tests { get; init; }
}
