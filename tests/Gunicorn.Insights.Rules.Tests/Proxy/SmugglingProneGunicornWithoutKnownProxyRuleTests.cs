using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Proxy;

public sealed class SmugglingProneGunicornWithoutKnownProxyRuleTests
{
    private const string Subject = "GI4002 Request interpretation desynchronization between proxy and backend";

    [Fact]
    public void An_affected_version_with_no_proxy_in_sight_reports_insufficient_evidence()
    {
        var session = BuiltInRules.Analyze(Observe.Version("gunicorn", "21.2.0", line: 1));

        session.Diagnoses.Where(d => d.Id == "GI4002").Should().BeEmpty();
        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(Subject, StringComparison.Ordinal)).Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            $"{Subject} could not conclude: Gunicorn 21.2.0 is in the affected range of known request-smuggling advisories "
            + "(CVE-2024-1135 before 22.0.0, CVE-2024-6827 before 23.0.0), but nothing in the input shows a reverse proxy or load "
            + "balancer in front of it; supply the reverse proxy's or load balancer's configuration (nginx proxy_pass) or logs, or "
            + "the platform, to show whether something parses requests before Gunicorn; upgrading to 23.0.0 or later settles it either way");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("error.log:1");
    }

    [Fact]
    public void With_a_proxy_in_sight_the_rule_itself_concludes()
    {
        var session = BuiltInRules.Analyze(
            Observe.Version("gunicorn", "21.2.0"),
            Observe.Setting(ConfigurationScope.Nginx, "proxy_pass", SettingValue.FromText("http://unix:/run/gunicorn.sock"), "nginx.conf", 3));

        session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(Subject, StringComparison.Ordinal)).Should().BeEmpty();
        session.Diagnoses.Where(d => d.Id == "GI4002").Should().ContainSingle();
    }

    [Fact]
    public void A_fixed_version_needs_no_proxy_evidence()
    {
        var session = BuiltInRules.Analyze(Observe.Version("gunicorn", "23.0.0"));

        session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(Subject, StringComparison.Ordinal)).Should().BeEmpty();
    }
}
