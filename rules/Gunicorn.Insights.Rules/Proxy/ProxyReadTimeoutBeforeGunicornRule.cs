using System.Globalization;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Proxy;

/// <summary>
/// GI4004: nginx answered requests with 504 (<c>upstream timed out (110: Connection timed out) while reading response
/// header from upstream</c>) after exactly its <c>proxy_read_timeout</c>, while the request waited for a free worker or
/// kept running in one.
/// </summary>
/// <remarks>
/// The message tells the cases apart: a saturated pool (<see cref="WorkerPoolSaturation"/>) means the requests waited in
/// the listen backlog; a sync worker whose timeout is clearly shorter than nginx's would have been killed first (a 502),
/// so a 504 means the request waited for a worker; otherwise nginx gives up while the worker keeps processing. The 504s
/// count the larger of nginx's signatures and the front-end access logs' 504s.
/// </remarks>
public sealed class ProxyReadTimeoutBeforeGunicornRule : Rule
{
    /// <summary>nginx's <c>proxy_read_timeout</c> when none is configured.</summary>
    public static readonly TimeSpan NginxDefaultReadTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How much later than Gunicorn's timeout nginx must give up for a sync worker's kill to come first for sure.</summary>
    public static readonly TimeSpan KillMargin = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<LogSignature> gatewayTimeouts = null!;
        IReadOnlyList<TrafficSummary> frontEnds = null!;
        IReadOnlyList<ConfigParameter> readTimeouts = null!;
        IReadOnlyList<WorkerPoolSaturation> saturation = null!;

        When()
            .Match(() => configuration)
            .Collect(() => gatewayTimeouts, (LogSignature s) => s.Instance == configuration.Instance,
                s => s.Kind == LogSignatureKind.UpstreamTimedOut || s.Kind == LogSignatureKind.Http504)
            .Collect(() => frontEnds, (TrafficSummary t) => t.Instance == configuration.Instance,
                t => t.IsFrontEnd && t.WithStatus(504) > 0)
            .Having(() => gatewayTimeouts.Count > 0 || frontEnds.Count > 0)
            .Collect(() => readTimeouts, (ConfigParameter p) => p.Instance == configuration.Instance,
                p => p.Scope == ConfigurationScope.Nginx && p.Name == "proxy_read_timeout" && NginxTime(p.Value.Text) != null)
            .Collect(() => saturation, (WorkerPoolSaturation w) => w.Instance == configuration.Instance);
        Then()
            .Report(ProxyDescriptors.ProxyReadTimeout, () => Finding
                .Of(GatewayTimeouts(gatewayTimeouts, frontEnds), ReadTimeout(readTimeouts), readTimeouts.Count == 0 ? " (nginx's default)" : "",
                    WorkerTimeout(configuration), Explanation(configuration, ReadTimeout(readTimeouts), saturation))
                .Because(gatewayTimeouts, frontEnds, readTimeouts, configuration[GunicornSettingCatalog.Timeout.Name], saturation));
    }

    /// <summary>How many requests nginx ended with 504: the larger of its signatures and the front-end access logs' 504s.</summary>
    public static long GatewayTimeouts(IReadOnlyList<LogSignature> signatures, IReadOnlyList<TrafficSummary> frontEnds)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        ArgumentNullException.ThrowIfNull(frontEnds);
        var logged = Math.Max(
            signatures.Where(s => s.Kind == LogSignatureKind.UpstreamTimedOut).Sum(s => s.Count),
            signatures.Where(s => s.Kind == LogSignatureKind.Http504).Sum(s => s.Count));
        return Math.Max(logged, FrontEndTraffic.Responses(frontEnds, 504));
    }

    /// <summary>The effective <c>proxy_read_timeout</c>: the last one configured, else nginx's default of 60 s.</summary>
    public static TimeSpan ReadTimeout(IReadOnlyList<ConfigParameter> readTimeouts)
    {
        ArgumentNullException.ThrowIfNull(readTimeouts);
        return readTimeouts.Select(p => NginxTime(p.Value.Text)).LastOrDefault(t => t != null) ?? NginxDefaultReadTimeout;
    }

    /// <summary>
    /// Reads an nginx time (<c>60</c>, <c>60s</c>, <c>2m</c>, <c>1m30s</c>, <c>500ms</c>); a bare number is seconds.
    /// <see langword="null"/> when the text is no nginx time.
    /// </summary>
    public static TimeSpan? NginxTime(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rest = text.Trim().TrimEnd(';').Trim();
        if (rest.Length == 0)
        {
            return null;
        }

        if (long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var bare))
        {
            return TimeSpan.FromSeconds(bare);
        }

        var total = TimeSpan.Zero;
        var i = 0;
        while (i < rest.Length)
        {
            var start = i;
            while (i < rest.Length && char.IsAsciiDigit(rest[i]))
            {
                i++;
            }

            if (i == start || !long.TryParse(rest.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return null;
            }

            var unitStart = i;
            while (i < rest.Length && char.IsAsciiLetter(rest[i]))
            {
                i++;
            }

            TimeSpan? part = rest[unitStart..i] switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                "d" => TimeSpan.FromDays(number),
                _ => null,
            };
            if (part is not { } value)
            {
                return null;
            }

            total += value;
        }

        return total;
    }

    /// <summary>Gunicorn's worker timeout as the message states it.</summary>
    public static string WorkerTimeout(GunicornConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.TimeoutDisabled)
        {
            return "disabled (timeout = 0)";
        }

        var text = DiagnosisMessage.FormatValue(configuration.Timeout);
        return configuration[GunicornSettingCatalog.Timeout.Name].IsDefault ? text + " (Gunicorn's default)" : text;
    }

    /// <summary>True when the effective worker class is the sync worker, which does not heartbeat during a request.</summary>
    public static bool IsSync(GunicornConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var workerClass = configuration.EffectiveWorkerClass;
        return workerClass == "sync" || workerClass.EndsWith("SyncWorker", StringComparison.Ordinal);
    }

    /// <summary>Where the 504 requests spent their time, as far as the evidence tells.</summary>
    public static string Explanation(GunicornConfiguration configuration, TimeSpan readTimeout, IReadOnlyList<WorkerPoolSaturation> saturation)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(saturation);
        const string Confirm = "busy-worker samples (busy=%({x-busy}i)s in the access log format) would show whether requests were instead waiting for a free worker";
        if (saturation.Count > 0)
        {
            return $"the worker pool was exhausted ({saturation[0].Describe()}), so requests waited unaccepted in the listen backlog until "
                + "nginx gave up: Gunicorn's timeout never applies to a request no worker has picked up";
        }

        if (configuration.TimeoutDisabled || !IsSync(configuration))
        {
            var why = configuration.TimeoutDisabled
                ? "the worker timeout is disabled"
                : $"Gunicorn's timeout does not bound how long a {configuration.EffectiveWorkerClass} worker runs one request";
            return $"{why}, so a request still running keeps working after the client got its 504; {Confirm}";
        }

        if (readTimeout > configuration.Timeout + KillMargin)
        {
            return "a sync worker running one request that long would have been killed by the worker timeout first (nginx would "
                + $"log a 502, not a 504), so these requests spent at least {DiagnosisMessage.FormatValue(readTimeout - configuration.Timeout - KillMargin)} "
                + "waiting for a free worker in the listen backlog; busy-worker samples (busy=%({x-busy}i)s in the access log format) "
                + "would confirm that the pool was exhausted";
        }

        return "nginx stops waiting no later than Gunicorn's worker timeout, so a request still running keeps its sync worker busy "
            + $"for up to {DiagnosisMessage.FormatValue(configuration.Timeout)} after the client got its 504; {Confirm}";
    }
}
