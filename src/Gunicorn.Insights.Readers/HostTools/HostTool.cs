namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>The host tools whose output <see cref="HostToolsReader"/> understands, as named on a pasted command line.</summary>
internal enum HostTool
{
    /// <summary>A command the reader does not read the output of.</summary>
    Other,

    /// <summary><c>free</c>.</summary>
    Free,

    /// <summary><c>top</c>.</summary>
    Top,

    /// <summary><c>vmstat</c>.</summary>
    Vmstat,

    /// <summary><c>nproc</c> or <c>getconf _NPROCESSORS_ONLN</c>.</summary>
    Nproc,

    /// <summary><c>lscpu</c>.</summary>
    Lscpu,

    /// <summary><c>cat /proc/meminfo</c>.</summary>
    Meminfo,

    /// <summary><c>cat /proc/mounts</c>, <c>mount</c>, <c>findmnt</c>, <c>df</c>.</summary>
    Mounts,

    /// <summary><c>env</c>, <c>printenv</c>, <c>cat /proc/1/environ</c>.</summary>
    Environment,

    /// <summary><c>ls /</c> (a <c>/.dockerenv</c> in the listing), <c>cat /proc/1/cgroup</c>.</summary>
    Listing,

    /// <summary><c>date</c>.</summary>
    Date,

    /// <summary><c>uptime</c> or <c>cat /proc/loadavg</c>.</summary>
    Uptime,
}
