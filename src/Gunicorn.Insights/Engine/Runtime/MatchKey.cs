namespace Gunicorn.Insights.Engine.Runtime;

/// <summary>The identity of a match: the insertion numbers of the facts its Match elements bound, in order.</summary>
internal readonly struct MatchKey : IEquatable<MatchKey>
{
    private readonly long[] _ids;
    private readonly int _hash;

    public MatchKey(long[] ids)
    {
        _ids = ids;
        var hash = new HashCode();
        foreach (var id in ids)
        {
            hash.Add(id);
        }

        _hash = hash.ToHashCode();
    }

    public bool Equals(MatchKey other) => _ids.AsSpan().SequenceEqual(other._ids);

    public override bool Equals(object? obj) => obj is MatchKey other && Equals(other);

    public override int GetHashCode() => _hash;
}
