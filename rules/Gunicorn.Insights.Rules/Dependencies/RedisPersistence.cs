using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>
/// How one Redis server persists writes, from its settings (<c>appendonly</c>, <c>appendfsync</c>) and its log
/// (<c>Asynchronous AOF fsync is taking too long (disk is busy?)</c>), and whether that can block its clients.
/// </summary>
/// <param name="Instance">The instance the Redis facts were read for.</param>
/// <param name="Appendfsync">The <c>appendfsync</c> setting, when found.</param>
/// <param name="Appendonly">The <c>appendonly</c> setting, when found.</param>
/// <param name="SlowFsyncs">Redis's slow-fsync lines.</param>
internal sealed record RedisPersistence(string? Instance, ConfigParameter? Appendfsync, ConfigParameter? Appendonly, IReadOnlyList<LogSignature> SlowFsyncs)
{
    /// <summary>Redis's default <c>appendfsync</c>.</summary>
    public const string DefaultPolicy = "everysec";

    /// <summary>The fsync policy: the setting's value, else Redis's default.</summary>
    /// <summary>What the rules ask of <c>appendfsync</c>: <c>no</c>, so Redis never waits for the disk while a worker waits for Redis.</summary>
    public SettingRecommendation AppendfsyncNo => SettingRecommendation.Create(ConfigurationScope.Redis, "appendfsync", RecommendationKind.Exactly,
        SettingValue.FromText("no"), Appendfsync?.Value ?? SettingValue.FromText(DefaultPolicy), "fsync blocking Redis stalls the workers that wait on it");

    public string Policy => Appendfsync is { } setting ? Normalize(setting.Value.Text) : DefaultPolicy;

    /// <summary>How many slow-fsync lines Redis logged.</summary>
    public long SlowFsyncCount => SlowFsyncs.Sum(s => s.Count);

    /// <summary>
    /// True when the append-only file is on: <c>appendonly yes</c>, or slow-fsync lines, which only an append-only file
    /// produces. Redis's default is <c>appendonly no</c>, so without either it is taken as off.
    /// </summary>
    public bool AppendOnly => (Appendonly is { } setting && IsYes(setting.Value)) || SlowFsyncCount > 0;

    /// <summary>
    /// True when the evidence shows Redis waiting for the disk in front of its clients: <c>appendfsync always</c> with the
    /// append-only file on, or slow-fsync lines (everysec stalls), unless fsync is now left to the kernel.
    /// </summary>
    public bool Blocks => AppendOnly && Policy != "no" && (Policy == "always" || SlowFsyncCount > 0);

    /// <summary>The explanation a message appends after the policy.</summary>
    public string Consequence =>
        (Policy == "always" ? ", so every write waits for fsync to reach the disk" : "")
        + (SlowFsyncCount > 0
            ? $"; Redis logged {SlowFsyncCount} 'Asynchronous AOF fsync is taking too long (disk is busy?)' line(s)"
            : "");

    /// <summary>Every Redis server the facts describe, one per instance, in order of first appearance.</summary>
    public static IReadOnlyList<RedisPersistence> All(IReadOnlyList<ConfigParameter> settings, IReadOnlyList<LogSignature> slowFsyncs) =>
        settings.Where(IsRedis).Select(s => s.Instance).Concat(slowFsyncs.Select(s => s.Instance)).Distinct()
            .Select(instance => Of(instance, settings, slowFsyncs))
            .ToArray();

    /// <summary>
    /// The Redis the application on <paramref name="instance"/> uses: the one on the same instance, else the only Redis
    /// in the input; null when there is none or several and none on that instance. Slow-fsync lines further than
    /// <paramref name="window"/> from [<paramref name="first"/>, <paramref name="last"/>] are left out when both sides have times.
    /// </summary>
    public static RedisPersistence? UsedBy(string? instance, IReadOnlyList<ConfigParameter> settings, IReadOnlyList<LogSignature> slowFsyncs,
        DateTimeOffset? first = null, DateTimeOffset? last = null, TimeSpan? window = null)
    {
        var near = slowFsyncs.Where(s => Near(s, first, last, window ?? TimeSpan.Zero)).ToArray();
        var servers = All(settings, slowFsyncs);
        var server = servers.FirstOrDefault(s => s.Instance == instance) ?? (servers.Count == 1 ? servers[0] : null);
        return server is null ? null : server with { SlowFsyncs = server.SlowFsyncs.Where(near.Contains).ToArray() };
    }

    /// <summary>True when <paramref name="parameter"/> is a Redis setting this rule reads.</summary>
    public static bool IsRedis(ConfigParameter parameter) =>
        parameter.Scope == ConfigurationScope.Redis && parameter.Name is "appendfsync" or "appendonly";

    private static RedisPersistence Of(string? instance, IReadOnlyList<ConfigParameter> settings, IReadOnlyList<LogSignature> slowFsyncs) =>
        new(instance,
            settings.LastOrDefault(s => IsRedis(s) && s.Instance == instance && s.Name == "appendfsync"),
            settings.LastOrDefault(s => IsRedis(s) && s.Instance == instance && s.Name == "appendonly"),
            slowFsyncs.Where(s => s.Instance == instance).ToArray());

    private static bool Near(LogSignature slowFsync, DateTimeOffset? first, DateTimeOffset? last, TimeSpan window) =>
        TimeWindow.Near(slowFsync.FirstSeen, slowFsync.LastSeen, first, last, window);

    private static bool IsYes(SettingValue value) =>
        value.TryGetBoolean(out var flag) ? flag : Normalize(value.Text) is "yes" or "true" or "1";

    private static string Normalize(string text) => text.Trim().Trim('"', '\'').ToLowerInvariant();
}
