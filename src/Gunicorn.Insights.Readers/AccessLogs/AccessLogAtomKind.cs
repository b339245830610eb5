namespace Gunicorn.Insights.Readers.AccessLogs;

/// <summary>The atoms of Gunicorn's <c>access_log_format</c> (<c>gunicorn/glogging.py</c>, <c>Logger.atoms</c>).</summary>
public enum AccessLogAtomKind
{
    /// <summary>An atom Gunicorn does not know (<c>%(z)s</c>): Gunicorn renders it as <c>-</c>.</summary>
    Unknown,

    /// <summary><c>%(h)s</c>: the remote address.</summary>
    RemoteAddress,

    /// <summary><c>%(l)s</c>: always <c>-</c> (ident).</summary>
    Ident,

    /// <summary><c>%(u)s</c>: the user name from HTTP Basic authorization, or <c>-</c>.</summary>
    User,

    /// <summary><c>%(t)s</c>: the time the line was written, <c>[23/Nov/2026:23:45:22 +0000]</c> with the brackets.</summary>
    Time,

    /// <summary><c>%(r)s</c>: the request line, <c>GET /x?y=1 HTTP/1.1</c>.</summary>
    RequestLine,

    /// <summary><c>%(m)s</c>: the request method.</summary>
    Method,

    /// <summary><c>%(U)s</c>: the URL path without the query string.</summary>
    UrlPath,

    /// <summary><c>%(q)s</c>: the query string.</summary>
    QueryString,

    /// <summary><c>%(H)s</c>: the protocol, <c>HTTP/1.1</c>.</summary>
    Protocol,

    /// <summary><c>%(s)s</c>: the response status.</summary>
    Status,

    /// <summary><c>%(B)s</c>: the response length in bytes (<c>None</c> when not set).</summary>
    ResponseLength,

    /// <summary><c>%(b)s</c>: the response length in bytes, or <c>-</c> (CLF).</summary>
    ResponseLengthClf,

    /// <summary><c>%(f)s</c>: the referrer.</summary>
    Referrer,

    /// <summary><c>%(a)s</c>: the user agent.</summary>
    UserAgent,

    /// <summary><c>%(T)s</c>: the request time in whole seconds (truncated).</summary>
    DurationSeconds,

    /// <summary><c>%(M)s</c>: the request time in whole milliseconds (Gunicorn 20+).</summary>
    DurationMilliseconds,

    /// <summary><c>%(D)s</c>: the request time in whole microseconds.</summary>
    DurationMicroseconds,

    /// <summary><c>%(L)s</c>: the request time in decimal seconds with six decimals, <c>0.012345</c>.</summary>
    DurationDecimalSeconds,

    /// <summary><c>%(p)s</c>: the worker's pid in angle brackets, <c>&lt;1234&gt;</c>.</summary>
    ProcessId,

    /// <summary><c>%({name}i)s</c>: a request header.</summary>
    RequestHeader,

    /// <summary><c>%({name}o)s</c>: a response header.</summary>
    ResponseHeader,

    /// <summary><c>%({name}e)s</c>: a WSGI environment variable.</summary>
    Environment,
}
