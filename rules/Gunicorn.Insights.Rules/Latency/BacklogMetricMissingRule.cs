using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// GI3004: request durations are collected as metrics (a request-duration histogram, or Gunicorn's StatsD metrics),
/// but no metric measures the listen backlog, so "Socket backlog queue time not exposed as metric". Stays silent when
/// there is no metrics evidence at all.
/// </summary>
public sealed class BacklogMetricMissingRule : Rule
{
    /// <summary>The first Gunicorn version that can send <c>gunicorn.backlog</c> (with <c>--enable-backlog-metric</c>).</summary>
    internal static readonly Version FirstWithBacklogMetric = new(24, 1);

    private const string EnableBacklogMetric = "enable_backlog_metric";

    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<RequestDurationHistogram> histograms = null!;
        IReadOnlyList<Gauge> backlogGauges = null!;
        IReadOnlyList<Counter> backlogCounters = null!;
        IReadOnlyList<SoftwareVersion> versions = null!;

        When()
            .Match(() => configuration)
            .Collect(() => histograms, (RequestDurationHistogram h) => h.Instance == configuration.Instance)
            .Having(() => histograms.Count > 0 || configuration.StatsdHost != null)
            .Collect(() => backlogGauges, (Gauge g) => g.Instance == configuration.Instance, g => g.Name.Contains("backlog"))
            .Collect(() => backlogCounters, (Counter c) => c.Instance == configuration.Instance, c => c.Name.Contains("backlog"))
            .Having(() => backlogGauges.Count == 0 && backlogCounters.Count == 0)
            .Collect(() => versions, (SoftwareVersion v) => v.Instance == configuration.Instance, v => v.Component == "gunicorn")
            .Having(() => !BacklogMetricEnabled(configuration, versions));
        Then()
            .Report(LatencyDescriptors.BacklogMetricMissing, () => Finding
                .Of(Measured(configuration, histograms), Why(configuration, versions))
                .Because(histograms.Take(3), configuration.StatsdHost == null ? null : configuration[GunicornSettingCatalog.StatsdHost.Name],
                    EnableBacklogSetting(configuration), Newest(versions)));
    }

    /// <summary>True when Gunicorn sends <c>gunicorn.backlog</c>: the flag is on, StatsD is set and the version (when known) has it.</summary>
    internal static bool BacklogMetricEnabled(GunicornConfiguration configuration, IReadOnlyList<SoftwareVersion> versions) =>
        IsOn(configuration) && configuration.StatsdHost is not null && (Newest(versions) is not { } version || version.Version >= FirstWithBacklogMetric);

    /// <summary>What collects request durations.</summary>
    internal static string Measured(GunicornConfiguration configuration, IReadOnlyList<RequestDurationHistogram> histograms) =>
        histograms.Count > 0
            ? string.Join(", ", histograms.Select(h => h.MetricName).Distinct(StringComparer.Ordinal))
            : $"Gunicorn's StatsD metrics to {configuration.StatsdHost}";

    /// <summary>Why no backlog metric exists, by version and settings.</summary>
    internal static string Why(GunicornConfiguration configuration, IReadOnlyList<SoftwareVersion> versions)
    {
        var version = Newest(versions);
        const string Indirect = "; until then, the wait before accept() shows only at the proxy ($upstream_response_time) or as every worker busy";
        if (version is not null && version.Version < FirstWithBacklogMetric)
        {
            return $"Gunicorn {version.Version} has no backlog metric (gunicorn.backlog arrived in 24.1, behind --enable-backlog-metric){Indirect}";
        }

        if (IsOn(configuration))
        {
            return "--enable-backlog-metric is on but statsd_host is not set, so gunicorn.backlog is sent nowhere";
        }

        return version is not null
            ? $"Gunicorn {version.Version} can send gunicorn.backlog to StatsD with --enable-backlog-metric, which is off"
            : $"--enable-backlog-metric is off (it exists from Gunicorn 24.1; no Gunicorn version was found to tell whether this one has it){Indirect}";
    }

    /// <summary>The explicitly set backlog-metric flag, for evidence; null when it was left at its default.</summary>
    internal static ConfigParameter? EnableBacklogSetting(GunicornConfiguration configuration) =>
        configuration.TryGet(EnableBacklogMetric, out var parameter) && !parameter.IsDefault ? parameter : null;

    /// <summary>The newest Gunicorn version seen for the instance.</summary>
    internal static SoftwareVersion? Newest(IReadOnlyList<SoftwareVersion> versions) => versions.MaxBy(v => v.Version);

    private static bool IsOn(GunicornConfiguration configuration) =>
        configuration.TryGet(EnableBacklogMetric, out var parameter) && parameter.Value.TryGetBoolean(out var on) && on;
}
