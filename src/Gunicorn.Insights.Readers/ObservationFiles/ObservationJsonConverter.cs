using System.Globalization;
using System.Text.Json;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Quantities;
using Gunicorn.Insights.Readers.Accumulation;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Metrics;

namespace Gunicorn.Insights.Readers.ObservationFiles;

/// <summary>
/// Turns one element of an observation JSON file (format version 1, documented in <c>docs/observation-json.md</c>)
/// into the observation its <c>type</c> names. Problems are collected on the <see cref="ObservationElement"/>; the
/// result is null when the element cannot be used.
/// </summary>
internal static class ObservationJsonConverter
{
    /// <summary>The types of format version 1.</summary>
    public static readonly string[] Types =
        ["cpu", "memory", "swap", "workers", "timing", "histogram", "counter", "gauge", "setting", "host", "version", "log"];

    private const int MaximumBuckets = 10_000;
    private const int MaximumPids = 1_000;

    /// <summary>Converts an element of type <paramref name="type"/> (lower case); <paramref name="known"/> is false for an unknown type.</summary>
    public static Observation? Convert(string type, ObservationElement e, SourceLocation at, out bool known)
    {
        known = true;
        switch (type)
        {
            case "cpu":
                return Cpu(e, at);
            case "memory":
                return Memory(e, at);
            case "swap":
                return Swap(e, at);
            case "workers":
                return Workers(e, at);
            case "timing":
                return Timing(e, at);
            case "histogram":
                return Histogram(e, at);
            case "counter":
                return Counter(e, at);
            case "gauge":
                return Gauge(e, at);
            case "setting":
                return Setting(e, at);
            case "host":
                return Host(e, at);
            case "version":
                return Version(e, at);
            case "log":
                return Log(e, at);
            default:
                known = false;
                return null;
        }
    }

    private static CpuUsage? Cpu(ObservationElement e, SourceLocation at)
    {
        var utilization = e.NumberOrAlias("utilizationPercent", "utilization", 0);
        var pid = e.Integer("pid", required: false, 1, int.MaxValue);
        var processName = e.String("processName", required: false);
        var ioWait = e.Number("ioWaitPercent", required: false, 0);
        var blocked = e.Integer("blockedProcesses", required: false, 0, int.MaxValue);
        var window = e.Seconds("windowSeconds", required: false);
        return utilization is not { } value || e.Problems.Count > 0
            ? null
            : new CpuUsage(new Percentage(value), at)
            {
                Pid = (int?)pid,
                ProcessName = processName,
                IoWait = ioWait is { } wait ? new Percentage(wait) : null,
                BlockedProcesses = (int?)blocked,
                Window = window,
            };
    }

    private static MemoryUsage? Memory(ObservationElement e, SourceLocation at)
    {
        var total = e.Integer("totalBytes", required: true, 0);
        var available = e.Integer("availableBytes", required: true, 0);
        var swapTotal = e.Integer("swapTotalBytes", required: false, 0);
        var swapUsed = e.Integer("swapUsedBytes", required: false, 0);
        if (total is { } t && available is { } a && a > t)
        {
            e.Problem("'availableBytes' is larger than 'totalBytes'");
        }

        if (swapTotal is { } st && swapUsed is { } su && su > st)
        {
            e.Problem("'swapUsedBytes' is larger than 'swapTotalBytes'");
        }

        return total is null || available is null || e.Problems.Count > 0
            ? null
            : new MemoryUsage(new ByteSize(total.Value), new ByteSize(available.Value), at)
            {
                SwapTotal = new ByteSize(swapTotal ?? 0),
                SwapUsed = new ByteSize(swapUsed ?? 0),
            };
    }

    private static SwapActivity? Swap(ObservationElement e, SourceLocation at)
    {
        var swapIn = e.Number("swapInBytesPerSecond", required: true, 0);
        var swapOut = e.Number("swapOutBytesPerSecond", required: true, 0);
        var window = e.Seconds("windowSeconds", required: false);
        return swapIn is null || swapOut is null || e.Problems.Count > 0
            ? null
            : new SwapActivity(new DataRate(swapIn.Value), new DataRate(swapOut.Value), at) { Window = window };
    }

    private static WorkerUtilization? Workers(ObservationElement e, SourceLocation at)
    {
        var busy = e.Integer("busy", required: true, 0, int.MaxValue);
        var total = e.Integer("total", required: true, 0, int.MaxValue);
        return busy is null || total is null || e.Problems.Count > 0 ? null : new WorkerUtilization((int)busy.Value, (int)total.Value, at);
    }

    private static ApplicationTiming? Timing(ObservationElement e, SourceLocation at)
    {
        var transaction = e.String("transaction", required: true);
        var requests = e.Integer("requests", required: true, 0);
        var total = e.Seconds("averageTotalSeconds", required: true);
        var cpu = e.Seconds("averageCpuSeconds", required: false);
        var database = e.Seconds("averageDatabaseSeconds", required: false);
        var external = e.Seconds("averageExternalSeconds", required: false);
        var queries = e.Number("queriesPerRequest", required: false, 0);
        return transaction is null || requests is null || total is null || e.Problems.Count > 0
            ? null
            : new ApplicationTiming(SecretRedactor.Redact(transaction), requests.Value, total.Value, at)
            {
                AverageCpu = cpu,
                AverageDatabase = database,
                AverageExternal = external,
                QueriesPerRequest = queries,
            };
    }

    private static RequestDurationHistogram? Histogram(ObservationElement e, SourceLocation at)
    {
        var metric = e.String("metric", required: true);
        var unitText = e.String("unit", required: false) ?? "seconds";
        TimeSpan? unit = unitText.ToLowerInvariant() switch
        {
            "seconds" or "s" => TimeSpan.FromSeconds(1),
            "milliseconds" or "ms" => TimeSpan.FromMilliseconds(1),
            _ => null,
        };
        if (unit is null)
        {
            e.Problem($"'unit' must be \"seconds\" or \"milliseconds\", not \"{Shorten(unitText)}\"");
        }

        var buckets = Buckets(e);
        var labels = e.Labels("labels");
        var sum = e.Number("sum", required: false);
        var window = e.Seconds("windowSeconds", required: false);
        if (metric is null || unit is not { } bucketUnit || buckets is null || e.Problems.Count > 0)
        {
            return null;
        }

        return new RequestDurationHistogram(metric, buckets, bucketUnit, at)
        {
            Labels = MetricNames.WithPath(labels ?? []),
            Sum = sum is { } s ? MetricNames.ToTimeSpan(s, bucketUnit) : null,
            Window = window,
        };
    }

    private static List<HistogramBucket>? Buckets(ObservationElement e)
    {
        if (!e.TryGet("buckets", required: true, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            e.Problem($"'buckets' must be an array of [upperBound, cumulativeCount] pairs, not {ObservationElement.Kind(value)}");
            return null;
        }

        var buckets = new List<HistogramBucket>();
        var index = 0;
        foreach (var pair in value.EnumerateArray())
        {
            index++;
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
            {
                e.Problem($"bucket {index} must be a pair [upperBound, cumulativeCount]");
                return null;
            }

            var bound = pair[0];
            var count = pair[1];
            double upper;
            if (bound.ValueKind == JsonValueKind.Number && bound.TryGetDouble(out var number) && double.IsFinite(number))
            {
                upper = number;
            }
            else if (bound.ValueKind != JsonValueKind.String || !PrometheusFloat.TryParse((bound.GetString() ?? "").Trim(), out upper)
                || double.IsNaN(upper))
            {
                e.Problem($"the upper bound of bucket {index} must be a number or \"+Inf\"");
                return null;
            }

            if (count.ValueKind != JsonValueKind.Number || !count.TryGetDouble(out var cumulative) || !double.IsFinite(cumulative) || cumulative < 0)
            {
                e.Problem($"the count of bucket {index} must be a number of at least 0");
                return null;
            }

            if (buckets.Count < MaximumBuckets)
            {
                buckets.Add(new HistogramBucket(upper, cumulative));
            }
        }

        if (buckets.Count == 0)
        {
            e.Problem("'buckets' is empty");
            return null;
        }

        return buckets;
    }

    private static Counter? Counter(ObservationElement e, SourceLocation at)
    {
        var name = e.String("name", required: true);
        var value = e.Number("value", required: true);
        var labels = e.Labels("labels");
        var window = e.Seconds("windowSeconds", required: false);
        return name is null || value is null || e.Problems.Count > 0
            ? null
            : new Counter(name, value.Value, at) { Labels = MetricNames.Masked(labels ?? []), Window = window };
    }

    private static Gauge? Gauge(ObservationElement e, SourceLocation at)
    {
        var name = e.String("name", required: true);
        var value = e.Number("value", required: true);
        var labels = e.Labels("labels");
        var unitText = e.String("unit", required: false) ?? "count";
        MetricUnit? unit = unitText.ToLowerInvariant() switch
        {
            "count" => MetricUnit.Count,
            "seconds" or "s" => MetricUnit.Seconds,
            "milliseconds" or "ms" => MetricUnit.Milliseconds,
            "bytes" => MetricUnit.Bytes,
            "percent" or "%" => MetricUnit.Percent,
            "ratio" => MetricUnit.Ratio,
            _ => null,
        };
        if (unit is null)
        {
            e.Problem($"'unit' must be count, seconds, milliseconds, bytes, percent or ratio, not \"{Shorten(unitText)}\"");
        }

        return name is null || value is null || unit is null || e.Problems.Count > 0
            ? null
            : new Gauge(name, value.Value, unit.Value, at) { Labels = MetricNames.Masked(labels ?? []) };
    }

    private static ConfigParameter? Setting(ObservationElement e, SourceLocation at)
    {
        var scopeText = e.String("scope", required: true);
        var name = e.String("name", required: true);
        var section = e.String("section", required: false);
        ConfigurationScope? scope = scopeText?.ToLowerInvariant() switch
        {
            null => null,
            "gunicorn" => ConfigurationScope.Gunicorn,
            "nginx" => ConfigurationScope.Nginx,
            "systemd" => ConfigurationScope.Systemd,
            "redis" => ConfigurationScope.Redis,
            "prometheus" => ConfigurationScope.Prometheus,
            "platform" => ConfigurationScope.Platform,
            _ => null,
        };
        if (scopeText is not null && scope is null)
        {
            e.Problem($"'scope' must be gunicorn, nginx, systemd, redis, prometheus or platform, not \"{Shorten(scopeText)}\"");
        }

        var hasValue = e.TryGet("value", required: false, out var value);
        var duration = e.Seconds("durationSeconds", required: false);
        if (hasValue == (duration is not null) && !e.Problems.Any(p => p.Contains("durationSeconds", StringComparison.Ordinal)))
        {
            e.Problem(hasValue ? "give either 'value' or 'durationSeconds', not both" : "'value' (or 'durationSeconds') is missing");
        }

        if (scope is not { } settingScope || name is null || e.Problems.Count > 0)
        {
            return null;
        }

        string canonical = name;
        SettingValue? setting;
        if (settingScope == ConfigurationScope.Gunicorn)
        {
            setting = GunicornValue(e, name, hasValue ? value : null, duration, out canonical);
        }
        else
        {
            setting = duration is { } d ? SettingValue.Duration(d) : OtherValue(e, name, value);
        }

        return setting is null || e.Problems.Count > 0
            ? null
            : new ConfigParameter(settingScope, canonical, setting, SettingOrigin.HostSupplied, at) { WrittenAs = name, Section = section };
    }

    /// <summary>A Gunicorn setting's value, validated by the catalog as Gunicorn's validator would.</summary>
    private static SettingValue? GunicornValue(ObservationElement e, string name, JsonElement? value, TimeSpan? duration, out string canonical)
    {
        canonical = name;
        if (!GunicornSettingCatalog.TryResolve(name, out var setting))
        {
            e.Problem($"'{Shorten(name)}' is not a Gunicorn setting, flag or environment variable");
            return null;
        }

        canonical = setting.Name;
        if (setting.IsServerHook)
        {
            e.Problem($"'{setting.Name}' is a server hook (code), not a value");
            return null;
        }

        string text;
        if (duration is { } d)
        {
            text = d.TotalSeconds.ToString("R", CultureInfo.InvariantCulture);
        }
        else
        {
            var json = value!.Value;
            switch (json.ValueKind)
            {
                case JsonValueKind.String:
                    text = json.GetString() ?? "";
                    break;
                case JsonValueKind.Number:
                    text = json.GetRawText();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    text = json.ValueKind == JsonValueKind.True ? "True" : "False";
                    break;
                case JsonValueKind.Array:
                    if (Items(e, json) is not { } items)
                    {
                        return null;
                    }

                    text = "[" + string.Join(", ", items.Select(i => i.Contains('\'', StringComparison.Ordinal) ? $"\"{i}\"" : $"'{i}'")) + "]";
                    break;
                default:
                    e.Problem($"'value' must be a string, number, boolean or array of strings, not {ObservationElement.Kind(json)}");
                    return null;
            }
        }

        try
        {
            var parsed = setting.Parse(text);
            return parsed.Kind switch
            {
                SettingValueKind.Text => SettingValue.FromText(SecretRedactor.Redact(parsed.Text)),
                SettingValueKind.List => SettingValue.List(parsed.Items.Select(SecretRedactor.Redact)),
                _ => parsed,
            };
        }
        catch (FormatException exception)
        {
            e.Problem(SecretRedactor.Redact(exception.Message));
            return null;
        }
    }

    /// <summary>The value of a setting of another component, typed by its JSON type; secrets masked.</summary>
    private static SettingValue? OtherValue(ObservationElement e, string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return SettingValue.FromText(SecretRedactor.Value(name, value.GetString() ?? ""));
            case JsonValueKind.Number:
                return SecretRedactor.IsSecretName(name) ? SettingValue.FromText(SecretRedactor.Mask)
                    : value.TryGetInt64(out var integer) ? SettingValue.Integer(integer)
                    : SettingValue.FromText(value.GetRawText());
            case JsonValueKind.True or JsonValueKind.False:
                return SettingValue.Boolean(value.ValueKind == JsonValueKind.True);
            case JsonValueKind.Array:
                var items = Items(e, value);
                return items is null ? null
                    : SettingValue.List(SecretRedactor.IsSecretName(name) ? [SecretRedactor.Mask] : items.Select(SecretRedactor.Redact));
            default:
                e.Problem($"'value' must be a string, number, boolean or array of strings, not {ObservationElement.Kind(value)}");
                return null;
        }
    }

    private static List<string>? Items(ObservationElement e, JsonElement array)
    {
        var items = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                e.Problem($"the items of 'value' must be strings, not {ObservationElement.Kind(item)}");
                return null;
            }

            if (items.Count < 10_000)
            {
                items.Add(item.GetString() ?? "");
            }
        }

        return items;
    }

    private static HostFacts? Host(ObservationElement e, SourceLocation at)
    {
        var cpus = e.Integer("cpuCount", required: false, 1, int.MaxValue);
        var memory = e.Integer("memoryBytes", required: false, 0);
        var swap = e.Integer("swapBytes", required: false, 0);
        var platformText = e.String("platform", required: false);
        var platform = PlatformKind.Unknown;
        if (platformText is not null && !TryPlatform(platformText, out platform))
        {
            e.Problem($"unknown 'platform' \"{Shorten(platformText)}\" (expected one of {string.Join(", ", Enum.GetNames<PlatformKind>().Skip(1).Select(Kebab))})");
        }

        if (cpus is null && memory is null && swap is null && platformText is null && e.Problems.Count == 0)
        {
            e.Problem("none of 'cpuCount', 'memoryBytes', 'swapBytes' or 'platform' is given");
        }

        return e.Problems.Count > 0
            ? null
            : new HostFacts(at)
            {
                CpuCount = (int?)cpus,
                Memory = memory is { } m ? new ByteSize(m) : null,
                Swap = swap is { } s ? new ByteSize(s) : null,
                Platform = platform,
            };
    }

    private static SoftwareVersion? Version(ObservationElement e, SourceLocation at)
    {
        var component = e.String("component", required: true);
        var text = e.String("version", required: true);
        System.Version? version = null;
        if (text is not null && !TryVersion(text, out version))
        {
            e.Problem($"'version' \"{Shorten(text)}\" does not start with a version number such as 23.0.0");
        }

        return component is null || version is null || e.Problems.Count > 0
            ? null
            : new SoftwareVersion(component.Trim().ToLowerInvariant(), version, at);
    }

    private static LogSignature? Log(ObservationElement e, SourceLocation at)
    {
        var kindText = e.String("kind", required: true);
        LogSignatureKind kind = default;
        if (kindText is not null && !TryKind(kindText, out kind))
        {
            e.Problem($"unknown log 'kind' \"{Shorten(kindText)}\" (expected one of {string.Join(", ", Enum.GetNames<LogSignatureKind>())})");
        }

        var count = e.Integer("count", required: true, 1);
        var pids = e.Integers("pids", MaximumPids, 1, int.MaxValue);
        var first = e.Time("first");
        var last = e.Time("last");
        var example = e.String("example", required: false);
        var examples = e.Strings("examples", LogSignatureAccumulator.MaximumExamples);
        if (first is { } f && last is { } l && l < f)
        {
            e.Problem("'last' is before 'first'");
        }

        if (kindText is null || count is null || e.Problems.Count > 0)
        {
            return null;
        }

        var texts = new List<string>();
        if (example is not null)
        {
            texts.Add(example);
        }

        texts.AddRange(examples ?? []);
        if (texts.Count == 0)
        {
            texts.Add(string.Create(CultureInfo.InvariantCulture, $"{kind} × {count} (reported by the monitoring app, no example line)"));
        }

        var lines = texts.Take(LogSignatureAccumulator.MaximumExamples)
            .Select(t => SecretRedactor.Redact(t.Length > LogSignatureAccumulator.MaximumExampleLength ? t[..LogSignatureAccumulator.MaximumExampleLength] + "…" : t))
            .Select(t => new LogExample(at, t))
            .ToArray();
        return new LogSignature(kind, count.Value, lines)
        {
            Pids = pids?.Select(p => (int)p).Distinct().ToArray() ?? [],
            FirstSeen = first,
            LastSeen = last,
            Timestamp = first,
        };
    }

    private static bool TryPlatform(string text, out PlatformKind platform)
    {
        var key = Normalize(text);
        platform = key switch
        {
            "vm" or "virtualmachine" or "baremetal" or "host" => PlatformKind.VirtualMachine,
            "k8s" or "kubernetes" => PlatformKind.Kubernetes,
            "appengine" or "gae" or "googleappengine" => PlatformKind.GoogleAppEngine,
            "cloudrun" or "googlecloudrun" => PlatformKind.GoogleCloudRun,
            "azure" or "appservice" or "azureappservice" => PlatformKind.AzureAppService,
            _ => Enum.GetValues<PlatformKind>().FirstOrDefault(p => Normalize(p.ToString()) == key),
        };
        return platform != PlatformKind.Unknown || key == "unknown";
    }

    private static bool TryKind(string text, out LogSignatureKind kind)
    {
        var key = Normalize(text);
        foreach (var candidate in Enum.GetValues<LogSignatureKind>())
        {
            if (Normalize(candidate.ToString()) == key)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    private static bool TryVersion(string text, out System.Version? version)
    {
        var trimmed = text.Trim().TrimStart('v', 'V');
        var end = 0;
        while (end < trimmed.Length && (char.IsAsciiDigit(trimmed[end]) || trimmed[end] == '.'))
        {
            end++;
        }

        var numeric = trimmed[..end].Trim('.');
        if (numeric.Length > 0 && !numeric.Contains('.', StringComparison.Ordinal))
        {
            numeric += ".0";
        }

        return System.Version.TryParse(numeric, out version);
    }

    private static string Normalize(string text) =>
        new(text.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
