using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Platform;

public sealed class PlatformTimeoutUnknownDeadlineRuleTests
{
    private const string Subject = "GI5001 Request persistence after platform timeout causes resource waste";

    [Fact]
    public void Platform_timeouts_on_an_unknown_platform_report_insufficient_evidence()
    {
        var session = BuiltInRules.Analyze(PlatformTimeoutOutlivedRuleTests.CloudRunTimeouts(3));

        session.Diagnoses.Where(d => d.Id == "GI5001").Should().BeEmpty();
        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(Subject, StringComparison.Ordinal)).Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Info);
        diagnosis.Message.Should().Be(
            $"{Subject} could not conclude: the platform ended 3 request(s) at its own deadline, but how long that deadline is was "
            + "not found (Gunicorn: sync workers, worker timeout 30 s (Gunicorn's default)); supply the platform's request timeout "
            + "(Cloud Run's timeoutSeconds, App Engine's scaling type) or the host facts naming the platform, so the deadline can be "
            + "compared with Gunicorn's timeout and worker class");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("cloud-run.log:2", "gunicorn defaults");
    }

    [Fact]
    public void A_known_platform_lets_the_rule_itself_conclude()
    {
        var session = BuiltInRules.Analyze(
            PlatformTimeoutOutlivedRuleTests.CloudRunTimeouts(3),
            Observe.Host(platform: PlatformKind.AzureAppService),
            Observe.Gunicorn("threads", SettingValue.Integer(4), line: 2));

        session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(Subject, StringComparison.Ordinal)).Should().BeEmpty();
        session.Diagnoses.Where(d => d.Id == "GI5001").Should().ContainSingle()
            .Which.Message.Should().StartWith(
                "The platform ended 3 request(s) at its 230 s deadline (App Service Linux front end), but Gunicorn runs gthread workers, "
                + "whose requests the worker timeout does not bound");
    }

    [Fact]
    public void Heroku_h12_lines_carry_their_own_deadline()
    {
        var session = BuiltInRules.Analyze(PlatformTimeoutOutlivedRuleTests.H12(1));

        session.Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(Subject, StringComparison.Ordinal)).Should().BeEmpty();
    }
}
