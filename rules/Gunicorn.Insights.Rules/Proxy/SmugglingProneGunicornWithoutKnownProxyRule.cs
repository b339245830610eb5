using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Proxy;

/// <summary>
/// GI0003 for GI4002: Gunicorn runs a version with known request-smuggling flaws, but nothing in the input shows whether
/// a reverse proxy or load balancer sits in front of it, which is what decides whether requests can desynchronize.
/// </summary>
public sealed class SmugglingProneGunicornWithoutKnownProxyRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        GunicornConfiguration configuration = null!;
        IReadOnlyList<SoftwareVersion> versions = null!;
        IReadOnlyList<Observation> proxies = null!;

        When()
            .Match(() => configuration)
            .Collect(() => versions, (SoftwareVersion v) => v.Instance == configuration.Instance, v => v.Component == "gunicorn")
            .Having(() => SmugglingProneGunicornBehindProxyRule.IsAffected(versions))
            .Collect(() => proxies, (Observation o) => o.Instance == configuration.Instance, o => SmugglingProneGunicornBehindProxyRule.RevealsProxy(o))
            .Having(() => proxies.Count == 0);
        Then()
            .Report(EngineDescriptors.InsufficientEvidence, () => Finding
                .Of(ProxyDescriptors.Subject(ProxyDescriptors.RequestSmuggling),
                    Saw(SmugglingProneGunicornBehindProxyRule.Running(versions).Version),
                    "supply the reverse proxy's or load balancer's configuration (nginx proxy_pass) or logs, or the platform, to show "
                    + "whether something parses requests before Gunicorn; upgrading to 23.0.0 or later settles it either way")
                .Because(SmugglingProneGunicornBehindProxyRule.Running(versions)));
    }

    /// <summary>What the rule saw, for the message.</summary>
    public static string Saw(Version version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return $"Gunicorn {version} is in the affected range of known request-smuggling advisories (CVE-2024-1135 before 22.0.0, "
            + "CVE-2024-6827 before 23.0.0), but nothing in the input shows a reverse proxy or load balancer in front of it";
    }
}
