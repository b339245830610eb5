using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Proxy;

public sealed class SmugglingProneGunicornBehindProxyRuleTests
{
    private static ConfigParameter ProxyPass(string target) =>
        Observe.Setting(ConfigurationScope.Nginx, "proxy_pass", SettingValue.FromText(target), "/etc/nginx/conf.d/app.conf", 20);

    [Fact]
    public void Gunicorn_before_22_behind_nginx_fires_with_both_advisories()
    {
        var session = BuiltInRules.Analyze(Observe.Version("gunicorn", "20.1.0", line: 1), ProxyPass("http://unix:/run/gunicorn.sock"));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI4002").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Critical);
        diagnosis.Message.Should().Be(
            "Gunicorn 20.1.0 runs behind nginx (proxy_pass http://unix:/run/gunicorn.sock); versions before 22.0.0 have "
            + "CVE-2024-1135 (fixed in 22.0.0) and CVE-2024-6827 (fixed in 23.0.0 according to advisory GHSA-hc5x-x2vx-497g); "
            + "when a proxy and its backend disagree on where a request ends (Transfer-Encoding versus Content-Length), a request "
            + "smuggled inside another one bypasses the proxy's checks");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:1", "/etc/nginx/conf.d/app.conf:20");
    }

    [Fact]
    public void Gunicorn_22_on_heroku_names_the_router_and_only_the_advisory_that_still_lists_it()
    {
        var session = BuiltInRules.Analyze(Observe.Version("gunicorn", "22.0.0", line: 2), Observe.Host(platform: PlatformKind.Heroku));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI4002").Should().ContainSingle().Subject;
        diagnosis.Message.Should().StartWith(
            "Gunicorn 22.0.0 runs behind the Heroku router; advisory GHSA-hc5x-x2vx-497g lists 22.x as affected by CVE-2024-6827 "
            + "and 23.0.0 as fixed, although 22.0.0 already refuses requests that carry both Transfer-Encoding and Content-Length;");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:2", "host.txt:1");
    }

    [Fact]
    public void Gunicorn_23_behind_nginx_is_silent()
    {
        var session = BuiltInRules.Analyze(Observe.Version("gunicorn", "23.0.0"), ProxyPass("http://127.0.0.1:8000"));

        session.Diagnoses.Where(d => d.Id == "GI4002").Should().BeEmpty();
    }

    [Fact]
    public void After_an_upgrade_the_newest_version_seen_is_the_one_that_runs()
    {
        var session = BuiltInRules.Analyze(
            Observe.Version("gunicorn", "21.2.0", line: 1),
            Observe.Version("gunicorn", "23.0.0", line: 900),
            ProxyPass("http://unix:/run/gunicorn.sock"));

        session.Diagnoses.Where(d => d.Id == "GI4002").Should().BeEmpty();
    }

    [Fact]
    public void A_proxy_of_another_instance_does_not_count()
    {
        var session = BuiltInRules.Analyze(
            Observe.Version("gunicorn", "21.2.0", instance: "api-1"),
            Observe.Setting(ConfigurationScope.Nginx, "proxy_pass", SettingValue.FromText("http://127.0.0.1:8000"), "nginx.conf", 3, "web-1"));

        session.Diagnoses.Where(d => d.Id == "GI4002").Should().BeEmpty();
    }
}
