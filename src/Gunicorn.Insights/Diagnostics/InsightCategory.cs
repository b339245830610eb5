namespace Gunicorn.Insights.Diagnostics;

/// <summary>
/// The fixed list of categories rules belong to. Each category owns a range of rule IDs so that an ID says
/// where a rule belongs.
/// </summary>
public static class InsightCategory
{
    /// <summary>The engine itself (a rule that threw, a rule that re-triggers itself). IDs GI0001–GI0099.</summary>
    public const string Engine = "Engine";

    /// <summary>Worker lifecycle and timeouts: WORKER TIMEOUT, SIGKILL, boot loops, heartbeats. IDs GI1001–GI1999.</summary>
    public const string WorkerLifecycle = "WorkerLifecycle";

    /// <summary>Capacity and concurrency: worker counts, worker classes, backlog queueing. IDs GI2001–GI2999.</summary>
    public const string Capacity = "Capacity";

    /// <summary>Latency and observability: percentiles, request-duration metrics, APM. IDs GI3001–GI3999.</summary>
    public const string Latency = "Latency";

    /// <summary>Proxy and network: nginx, sockets, 502/504, request smuggling. IDs GI4001–GI4999.</summary>
    public const string Proxy = "Proxy";

    /// <summary>Platform: App Engine, Cloud Run, Heroku, Azure App Service, containers, filesystems. IDs GI5001–GI5999.</summary>
    public const string Platform = "Platform";

    /// <summary>Dependencies: databases, Redis, external services, host resources. IDs GI6001–GI6999.</summary>
    public const string Dependencies = "Dependencies";

    /// <summary>Every category, in ID-range order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Engine, WorkerLifecycle, Capacity, Latency, Proxy, Platform, Dependencies];

    /// <summary>The first rule number of a category's range (GI<i>n</i>001).</summary>
    public static int RangeStart(string category) => All.ToList().IndexOf(category) switch
    {
        < 0 => throw new ArgumentException($"Unknown category '{category}'. Categories: {string.Join(", ", All)}.", nameof(category)),
        var index => index * 1000 + 1,
    };
}
