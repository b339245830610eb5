using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Engine.Runtime;

/// <summary>
/// One distinct match of a rule, and what firing it produced: the facts it yielded and the diagnoses it reported.
/// Those outputs live as long as the match; they are replaced when the match changes and removed when it goes away.
/// </summary>
internal sealed class Activation(MatchKey key)
{
    public MatchKey Key { get; } = key;

    /// <summary>The bound variables.</summary>
    public object?[] Values { get; set; } = [];

    /// <summary>A fingerprint of the versions of every fact the match read; a change means the match was updated.</summary>
    public long[] Signature { get; set; } = [];

    public bool IsPending { get; set; }

    public bool HasFired { get; set; }

    /// <summary>The evaluation pass in which the match was last seen.</summary>
    public long SeenIn { get; set; }

    /// <summary>The order in which the match was first found; orders results deterministically.</summary>
    public long Sequence { get; set; }

    public List<FactHandle> Yielded { get; } = [];

    public List<Diagnosis> Diagnoses { get; } = [];
}
