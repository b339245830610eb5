using Gunicorn.Insights.Quantities;

namespace Gunicorn.Insights.Readers.AccessLogs;

/// <summary>
/// One access-log line split by its <see cref="AccessLogFormat"/>: every atom's text (with Gunicorn's <c>\"</c> escapes
/// undone) and the typed values the reader needs. Values Gunicorn renders as <c>-</c> are null in the typed properties.
/// </summary>
public sealed class AccessLogEntry
{
    internal AccessLogEntry(AccessLogFormat format, string[] values)
    {
        Format = format;
        Values = values;
    }

    /// <summary>The format the line was read with.</summary>
    public AccessLogFormat Format { get; }

    /// <summary>The text of each atom, in the order of <see cref="AccessLogFormat.Atoms"/>.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary><c>%(h)s</c>: the remote address.</summary>
    public string? RemoteAddress { get; internal init; }

    /// <summary><c>%(u)s</c>: the authenticated user.</summary>
    public string? User { get; internal init; }

    /// <summary><c>%(t)s</c>: the time Gunicorn wrote the line (when the response was done).</summary>
    public DateTimeOffset? Time { get; internal init; }

    /// <summary>The request method, from <c>%(r)s</c> or <c>%(m)s</c>.</summary>
    public string? Method { get; internal init; }

    /// <summary>The request target as sent (path and query), from <c>%(r)s</c>.</summary>
    public string? Target { get; internal init; }

    /// <summary>The path without query string, from <c>%(r)s</c>'s target or else <c>%(U)s</c>.</summary>
    public string? Path { get; internal init; }

    /// <summary>The query string without <c>?</c>, from <c>%(r)s</c>'s target or else <c>%(q)s</c>.</summary>
    public string? Query { get; internal init; }

    /// <summary>The protocol, from <c>%(r)s</c> or <c>%(H)s</c>.</summary>
    public string? Protocol { get; internal init; }

    /// <summary><c>%(s)s</c>: the response status.</summary>
    public int? Status { get; internal init; }

    /// <summary><c>%(b)s</c> or <c>%(B)s</c>: the response body length.</summary>
    public ByteSize? ResponseLength { get; internal init; }

    /// <summary><c>%(f)s</c>: the referrer.</summary>
    public string? Referrer { get; internal init; }

    /// <summary><c>%(a)s</c>: the user agent.</summary>
    public string? UserAgent { get; internal init; }

    /// <summary>
    /// The request time from the most precise duration atom of the format (<c>%(D)s</c>, then <c>%(L)s</c>,
    /// <c>%(M)s</c>, <c>%(T)s</c>).
    /// </summary>
    public TimeSpan? Duration { get; internal init; }

    /// <summary><c>%(p)s</c>: the pid of the worker that handled the request.</summary>
    public int? Pid { get; internal init; }

    /// <summary>
    /// The text of the atom named <paramref name="name"/> (<c>s</c>, <c>{x-busy}i</c>; header and environment names
    /// ignore case), or null when the format has no such atom.
    /// </summary>
    public string? Value(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var index = Format.IndexOf(name);
        return index < 0 ? null : Values[index];
    }
}
