using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Proxy;

/// <summary>
/// GI4002: a Gunicorn version with known HTTP request-smuggling flaws (before 22.0.0: CVE-2024-1135 and CVE-2024-6827;
/// 22.x: CVE-2024-6827 by its advisory) runs behind a reverse proxy or load balancer, so proxy and backend can disagree
/// on where a request ends.
/// </summary>
/// <remarks>
/// The version is the highest <c>gunicorn</c> <see cref="SoftwareVersion"/> seen for the instance (after an upgrade the
/// newer one runs). A proxy is shown by an nginx <c>proxy_pass</c>, nginx's upstream errors or version, a front-end
/// access log (any <see cref="TrafficSummary"/> not logged by Gunicorn), a Heroku router line, or a platform that always
/// puts its own front end before the app (Heroku, Cloud Run, App Engine, App Service).
/// <see cref="SmugglingProneGunicornWithoutKnownProxyRule"/> covers an affected version with no proxy in sight.
/// </remarks>
public sealed class SmugglingProneGunicornBehindProxyRule : Rule
{
    private static readonly Version FirstFixedForCve20241135 = new(22, 0, 0);
    private static readonly Version FirstFixedForCve20246827 = new(23, 0, 0);

    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<SoftwareVersion> versions = null!;
        IReadOnlyList<Observation> proxies = null!;

        When()
            .Match(() => configuration)
            .Collect(() => versions, (SoftwareVersion v) => v.Instance == configuration.Instance, v => v.Component == "gunicorn")
            .Having(() => IsAffected(versions))
            .Collect(() => proxies, (Observation o) => o.Instance == configuration.Instance, o => RevealsProxy(o))
            .Having(() => proxies.Count > 0);
        Then()
            .Report(ProxyDescriptors.RequestSmuggling, () => Finding
                .Of(Running(versions).Version, DescribeProxy(proxies[0]), Advisories(Running(versions).Version))
                .Because(Running(versions), proxies));
    }

    /// <summary>The version the instance runs: the highest one seen.</summary>
    public static SoftwareVersion Running(IReadOnlyList<SoftwareVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return versions.MaxBy(v => v.Version) ?? throw new ArgumentException("No Gunicorn version was seen.", nameof(versions));
    }

    /// <summary>True when Gunicorn versions were seen and the one running is in an advisory's affected range (before 23.0.0).</summary>
    public static bool IsAffected(IReadOnlyList<SoftwareVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return versions.Count > 0 && Running(versions).Version < FirstFixedForCve20246827;
    }

    /// <summary>Which published flaws apply to <paramref name="version"/>, as the message states them.</summary>
    public static string Advisories(Version version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return version < FirstFixedForCve20241135
            ? "versions before 22.0.0 have CVE-2024-1135 (fixed in 22.0.0) and CVE-2024-6827 (fixed in 23.0.0 according to advisory GHSA-hc5x-x2vx-497g)"
            : "advisory GHSA-hc5x-x2vx-497g lists 22.x as affected by CVE-2024-6827 and 23.0.0 as fixed, although 22.0.0 already "
                + "refuses requests that carry both Transfer-Encoding and Content-Length";
    }

    /// <summary>True when <paramref name="observation"/> shows an HTTP proxy or load balancer in front of Gunicorn.</summary>
    public static bool RevealsProxy(Observation observation) => observation switch
    {
        ConfigParameter parameter => parameter.Scope == ConfigurationScope.Nginx && parameter.Name == "proxy_pass",
        LogSignature signature => signature.Kind is LogSignatureKind.UpstreamPrematurelyClosed or LogSignatureKind.UpstreamTimedOut
            or LogSignatureKind.UpstreamConnectFailed or LogSignatureKind.HerokuRequestTimeout,
        TrafficSummary traffic => traffic.IsFrontEnd,
        SoftwareVersion version => version.Component == "nginx",
        HostFacts host => host.Platform is PlatformKind.Heroku or PlatformKind.GoogleCloudRun or PlatformKind.GoogleAppEngine
            or PlatformKind.AzureAppService,
        _ => false,
    };

    /// <summary>Names the proxy an observation shows, for the message.</summary>
    public static string DescribeProxy(Observation observation) => observation switch
    {
        ConfigParameter parameter => $"nginx (proxy_pass {parameter.Value.Text.Trim().TrimEnd(';').Trim()})",
        LogSignature { Kind: LogSignatureKind.HerokuRequestTimeout } => "the Heroku router",
        LogSignature => "nginx (its upstream errors)",
        TrafficSummary traffic => $"a front end that logs requests ({traffic.Logger})",
        SoftwareVersion version => $"nginx {version.Version}",
        HostFacts { Platform: PlatformKind.Heroku } => "the Heroku router",
        HostFacts { Platform: PlatformKind.GoogleCloudRun } => "Google Cloud Run's front end",
        HostFacts { Platform: PlatformKind.GoogleAppEngine } => "Google App Engine's front end",
        HostFacts { Platform: PlatformKind.AzureAppService } => "the App Service Linux front end",
        _ => "a reverse proxy",
    };
}
