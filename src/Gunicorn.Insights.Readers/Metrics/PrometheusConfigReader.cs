using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Metrics;

/// <summary>
/// Reads a Prometheus server configuration (<c>prometheus.yml</c>) into <see cref="ConfigurationScope.Prometheus"/>
/// parameters: per scrape job (<see cref="ConfigParameter.Section"/> = the job name) <c>scrape_configs.job_name</c>
/// (text), <c>scrape_configs.static_configs.targets</c> (a list, one parameter per <c>static_configs</c> entry, flow
/// <c>['localhost:8000']</c> or block <c>- localhost:8000</c> form), <c>scrape_configs.metrics_path</c> and
/// <c>scrape_configs.scheme</c> (text), <c>scrape_configs.scrape_interval</c> and <c>scrape_configs.scrape_timeout</c>
/// (durations); and <c>global.scrape_interval</c>, <c>global.scrape_timeout</c>, <c>global.evaluation_interval</c>
/// (durations, no section). Everything else (rule files, alerting, service discovery, relabelling) is ignored.
/// </summary>
/// <remarks>
/// The YAML is read with a deliberately small reader (see the remarks of the internal <c>YamlSubsetReader</c>): anchors,
/// aliases, merge keys and block scalars in the parts above, a <c>scrape_configs</c> that is not a list, a job without
/// <c>job_name</c>, and a duration Prometheus would reject are reported with their line.
/// </remarks>
public sealed class PrometheusConfigReader : IArtifactReader
{
    /// <summary>The parameter of a scrape job's name.</summary>
    public const string JobName = "scrape_configs.job_name";

    /// <summary>The parameter of a scrape job's static targets.</summary>
    public const string Targets = "scrape_configs.static_configs.targets";

    private const int MaximumParametersPerJob = 1_000;

    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.PrometheusConfig;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(head);
        var lower = fileName.ToLowerInvariant();
        var yaml = lower.EndsWith(".yml", StringComparison.Ordinal) || lower.EndsWith(".yaml", StringComparison.Ordinal);
        var named = lower.Contains("prometheus", StringComparison.Ordinal) && yaml;
        var scrapeConfigs = head.Any(l => l.StartsWith("scrape_configs:", StringComparison.Ordinal));
        var global = head.Any(l => l.StartsWith("global:", StringComparison.Ordinal));
        var intervals = head.Count(l => l.TrimStart().StartsWith("scrape_interval:", StringComparison.Ordinal)
            || l.TrimStart().StartsWith("evaluation_interval:", StringComparison.Ordinal));
        var jobs = head.Count(l => l.TrimStart().StartsWith("- job_name:", StringComparison.Ordinal));
        if (lower.EndsWith(".py", StringComparison.Ordinal) || lower.EndsWith(".log", StringComparison.Ordinal) || lower.EndsWith(".json", StringComparison.Ordinal))
        {
            return 0;
        }

        if (scrapeConfigs || jobs > 0)
        {
            return Math.Min(100, 70 + jobs * 5 + (named ? 20 : 0) + (global ? 5 : 0));
        }

        if (global && intervals > 0)
        {
            return named ? 90 : 60;
        }

        return named && head.Any(l => l.Contains(':', StringComparison.Ordinal)) ? 50 : 0;
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var state = new State(context);
        source.ForEachLine(context, (bytes, number) =>
        {
            var text = context.Text(bytes, number);
            state.Line(number == 1 ? text.TrimStart('\uFEFF') : text, number);
        });
        state.End();
    }

    private sealed class Job(long line)
    {
        public long Line { get; } = line;

        public string? Name { get; set; }

        public List<ConfigParameter> Parameters { get; } = [];
    }

    private sealed class State(ReadContext context) : YamlSubsetReader(context)
    {
        private const string ScrapeConfigs = "scrape_configs";

        private Job? _job;
        private bool _warnedNotList;

        protected override void Scalar(string path, string key, string value, long line)
        {
            switch (path)
            {
                case ScrapeConfigs:
                    NotAList(line);
                    return;
                case "global.scrape_interval" or "global.scrape_timeout" or "global.evaluation_interval":
                    if (Duration(path, key, value, line) is { } global)
                    {
                        Context.Add(global);
                    }

                    return;
            }

            if (!path.StartsWith(ScrapeConfigs + ".", StringComparison.Ordinal))
            {
                return;
            }

            if (_job is null)
            {
                NotAList(line);
                return;
            }

            switch (path)
            {
                case JobName:
                    _job.Name ??= SecretRedactor.Redact(value);
                    AddToJob(Parameter(path, key, SettingValue.FromText(SecretRedactor.Redact(value)), line));
                    break;
                case "scrape_configs.scrape_interval" or "scrape_configs.scrape_timeout":
                    if (Duration(path, key, value, line) is { } duration)
                    {
                        AddToJob(duration);
                    }

                    break;
                case "scrape_configs.metrics_path" or "scrape_configs.scheme":
                    AddToJob(Parameter(path, key, SettingValue.FromText(SecretRedactor.Redact(value)), line));
                    break;
                case Targets:
                    Warn(line, $"'targets' should be a list (targets: ['{Shorten(value)}']); read as a list of one");
                    AddToJob(Parameter(path, key, SettingValue.List([SecretRedactor.Redact(value)]), line));
                    break;
                case "scrape_configs.static_configs":
                    Warn(line, "'static_configs' should be a list of '- targets: [...]' entries; ignored");
                    break;
            }
        }

        protected override void List(string path, string key, IReadOnlyList<string> items, long line)
        {
            if (path == ScrapeConfigs)
            {
                // "scrape_configs: []" is an empty job list; scalars there are not jobs.
                if (items.Count > 0)
                {
                    NotAList(line);
                }

                return;
            }

            if (path != Targets)
            {
                return;
            }

            if (_job is null)
            {
                NotAList(line);
                return;
            }

            AddToJob(Parameter(path, key, SettingValue.List(items.Select(SecretRedactor.Redact)), line));
        }

        protected override void Open(string path, string key, long line)
        {
        }

        protected override void ItemStart(string path, long line)
        {
            if (path == ScrapeConfigs)
            {
                Flush();
                _job = new Job(line);
            }
        }

        protected override void ItemEnd(string path)
        {
            if (path == ScrapeConfigs)
            {
                Flush();
            }
        }

        protected override void Unsupported(string path, string what, long line)
        {
            if (path == ScrapeConfigs || path.StartsWith(ScrapeConfigs + ".", StringComparison.Ordinal) || path.StartsWith("global", StringComparison.Ordinal))
            {
                Warn(line, $"{what} at '{Shorten(path)}' is not read by this YAML reader; the value was skipped");
            }
        }

        public override void End()
        {
            base.End();
            Flush();
        }

        private void Flush()
        {
            if (_job is not { } job)
            {
                return;
            }

            _job = null;
            if (job.Name is null && job.Parameters.Count > 0)
            {
                Warn(job.Line, "a scrape config without 'job_name' (Prometheus requires one); its settings are read without a section");
            }

            foreach (var parameter in job.Parameters.OrderBy(p => p.Source.Line))
            {
                Context.Add(parameter with { Section = job.Name });
            }
        }

        private void AddToJob(ConfigParameter parameter)
        {
            if (_job!.Parameters.Count < MaximumParametersPerJob)
            {
                _job.Parameters.Add(parameter);
            }
        }

        private void NotAList(long line)
        {
            if (!_warnedNotList)
            {
                _warnedNotList = true;
                Warn(line, "'scrape_configs' should be a list of jobs ('- job_name: …'); its settings outside list items were ignored");
            }
        }

        private ConfigParameter? Duration(string path, string key, string value, long line)
        {
            if (!PrometheusDuration.TryParse(value, out var duration))
            {
                Warn(line, $"'{Shorten(value)}' is not a Prometheus duration (such as 15s, 1m30s or 500ms) for '{key}'; ignored");
                return null;
            }

            return Parameter(path, key, SettingValue.Duration(duration, value), line);
        }

        private ConfigParameter Parameter(string path, string key, SettingValue value, long line) =>
            new(ConfigurationScope.Prometheus, path, value, SettingOrigin.ConfigurationFile, Context.At(line)) { WrittenAs = key };

        private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
    }
}
