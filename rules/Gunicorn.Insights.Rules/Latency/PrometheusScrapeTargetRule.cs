using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Latency;

/// <summary>
/// GI3006: a Prometheus scrape job (<c>scrape_configs.job_name</c> with its <c>static_configs.targets</c>) for the
/// application, "Prometheus metrics scraping from Django application", checked against the addresses Gunicorn binds:
/// a target on a port Gunicorn does not bind, or a Gunicorn bound only to a Unix socket, cannot be scraped directly.
/// Prometheus' self-scrape job (<c>prometheus</c>) is left alone.
/// </summary>
public sealed class PrometheusScrapeTargetRule : Rule
{
    private const string SelfScrapeJob = "prometheus";

    /// <inheritdoc />
    public override void Define()
    {
        ConfigParameter job = null!;
        GunicornConfiguration configuration = null!;
        IReadOnlyList<ConfigParameter> jobs = null!;
        IReadOnlyList<ConfigParameter> targetLists = null!;
        ConfigParameter? targets = null;

        When()
            .Match(() => job, p => p.Scope == ConfigurationScope.Prometheus && p.Name == ScrapeAddresses.JobName && p.Value.Text != SelfScrapeJob)
            .Match(() => configuration, c => c.Instance == job.Instance)
            .Collect(() => jobs, (ConfigParameter p) => p.Instance == job.Instance,
                p => p.Scope == ConfigurationScope.Prometheus && p.Name == ScrapeAddresses.JobName)
            .Collect(() => targetLists, (ConfigParameter p) => p.Instance == job.Instance,
                p => p.Scope == ConfigurationScope.Prometheus && p.Name == ScrapeAddresses.Targets)
            .Let(() => targets, () => TargetsOf(job, jobs, targetLists));
        Then()
            .Report(LatencyDescriptors.PrometheusScrape, () => Finding
                .Of(job.Value.Text, TargetsText(targets), Verdict(configuration, targets))
                .Because(job, targets, configuration[GunicornSettingCatalog.Bind.Name]));
    }

    /// <summary>
    /// The targets list that belongs to <paramref name="job"/>: in the same file, after the job's line and before the
    /// next job's; without line numbers, the list at the job's position.
    /// </summary>
    internal static ConfigParameter? TargetsOf(ConfigParameter job, IReadOnlyList<ConfigParameter> jobs, IReadOnlyList<ConfigParameter> targetLists)
    {
        var sameFile = targetLists.Where(t => t.Source.Source == job.Source.Source).ToList();
        if (job.Source.Line is { } line)
        {
            var next = jobs.Where(j => j.Source.Source == job.Source.Source && j.Source.Line > line).Min(j => j.Source.Line);
            return sameFile.FirstOrDefault(t => t.Source.Line >= line && (next is null || t.Source.Line < next));
        }

        var index = jobs.Where(j => j.Source.Source == job.Source.Source).ToList().IndexOf(job);
        return index >= 0 && index < sameFile.Count ? sameFile[index] : null;
    }

    /// <summary>The targets as the message lists them.</summary>
    internal static string TargetsText(ConfigParameter? targets) =>
        targets is null ? "no static targets" : string.Join(", ", ScrapeAddresses.Items(targets.Value));

    /// <summary>Whether the targets can reach Gunicorn, in words.</summary>
    internal static string Verdict(GunicornConfiguration configuration, ConfigParameter? targets)
    {
        var bindParameter = configuration[GunicornSettingCatalog.Bind.Name];
        var binds = ScrapeAddresses.TcpBinds(configuration);
        var bindText = string.Join(", ", configuration.Bind) + (bindParameter.IsDefault ? " (Gunicorn's default)" : "");
        if (targets is null)
        {
            return $"no static_configs targets were found for the job (service discovery is not checked); Gunicorn binds {bindText}";
        }

        if (binds.Count == 0)
        {
            return $"Gunicorn listens only on {bindText}, which Prometheus cannot scrape directly: serve /metrics through the proxy in front of it, or bind an additional TCP address";
        }

        var endpoints = ScrapeAddresses.Endpoints(targets);
        var reaching = endpoints.FirstOrDefault(t => binds.Any(b => ScrapeAddresses.Reaches(t, b)));
        if (reaching.Text is not null)
        {
            var bind = binds.First(b => ScrapeAddresses.Reaches(reaching, b));
            return $"the target {reaching.Text} matches Gunicorn's bind {bind.Text}{(bindParameter.IsDefault ? " (Gunicorn's default; no bind setting was found)" : "")}";
        }

        var samePort = endpoints.FirstOrDefault(t => binds.Any(b => b.Port == t.Port));
        if (samePort.Text is not null)
        {
            var bind = binds.First(b => b.Port == samePort.Port);
            return $"Gunicorn binds {bind.Text}{(bindParameter.IsDefault ? " (Gunicorn's default)" : "")}, which answers only on the loopback interface, so the target {samePort.Text} cannot reach it: scrape a loopback address from the same host, bind 0.0.0.0 behind a firewall, or scrape through the proxy";
        }

        var ports = string.Join(", ", binds.Select(b => DiagnosisMessage.FormatValue(b.Port)).Distinct(StringComparer.Ordinal));
        return $"none of the targets uses a port Gunicorn binds ({bindText}, port {ports}): the job scrapes another exporter or the proxy, or points at the wrong port";
    }
}
