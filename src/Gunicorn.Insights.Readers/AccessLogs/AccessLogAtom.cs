namespace Gunicorn.Insights.Readers.AccessLogs;

/// <summary>One atom of an <c>access_log_format</c>, e.g. <c>%(s)s</c> or <c>%({x-busy}i)s</c>.</summary>
/// <param name="Kind">What the atom logs.</param>
/// <param name="Name">
/// The name between the parentheses as written (<c>s</c>, <c>{x-busy}i</c>); for header and environment atoms see
/// <see cref="Key"/>.
/// </param>
public sealed record AccessLogAtom(AccessLogAtomKind Kind, string Name)
{
    /// <summary>
    /// For header and environment atoms the lower-cased name inside the braces (<c>x-busy</c>), as Gunicorn looks it up;
    /// otherwise null.
    /// </summary>
    public string? Key => Kind is AccessLogAtomKind.RequestHeader or AccessLogAtomKind.ResponseHeader or AccessLogAtomKind.Environment
        ? Name[1..^2].ToLowerInvariant()
        : null;

    /// <summary>True for the atoms that hold a request time (<c>T</c>, <c>M</c>, <c>D</c>, <c>L</c>).</summary>
    public bool IsDuration => Kind is AccessLogAtomKind.DurationSeconds or AccessLogAtomKind.DurationMilliseconds
        or AccessLogAtomKind.DurationMicroseconds or AccessLogAtomKind.DurationDecimalSeconds;

    /// <summary>The atom as written in a format, <c>%(s)s</c>.</summary>
    public override string ToString() => $"%({Name})s";
}
