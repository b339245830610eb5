namespace Gunicorn.Insights.Observations.Settings;

/// <summary>The type of a <see cref="SettingValue"/>.</summary>
public enum SettingValueKind
{
    /// <summary>A whole number (workers, backlog, threads).</summary>
    Integer,

    /// <summary>A length of time (timeout, graceful_timeout, proxy_read_timeout).</summary>
    Duration,

    /// <summary>A yes/no flag (preload_app, reload).</summary>
    Boolean,

    /// <summary>A string (worker_class, worker_tmp_dir, appendfsync).</summary>
    Text,

    /// <summary>A list of strings (bind addresses, histogram buckets).</summary>
    List,

    /// <summary>A worker-count formula on the CPU count, e.g. <c>multiprocessing.cpu_count() * 2 + 1</c>.</summary>
    CpuFormula,
}
