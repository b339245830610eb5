using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Testing.Tests;

public sealed class RuleFixtureTests
{
    [Fact]
    public void A_fixture_without_rules_says_how_to_add_them()
    {
        var act = () => new RuleFixture().Given(Logs.Timeouts(17, null, 7685)).Run();

        act.Should().Throw<InvalidOperationException>()
            .WithMessage("The fixture has no rules: add them with WithRule, WithRules, WithRulesFrom or WithBuiltInRules.");
    }

    [Fact]
    public void A_type_that_is_not_a_rule_is_refused_by_name()
    {
        var act = () => new RuleFixture().WithRules(typeof(string));

        act.Should().Throw<ArgumentException>().Which.Message.Should().StartWith("System.String is not a concrete rule with a parameterless constructor.");
    }

    [Fact]
    public void The_configuration_sets_the_severity_the_assertions_see()
    {
        var fixture = Hosts.Fixture.WithConfiguration(new InsightConfiguration(
            new Dictionary<string, ConfiguredSeverity> { ["APP1001"] = ConfiguredSeverity.Critical }));

        fixture.Given(Logs.Timeouts(17, null, 7685)).Expect("APP1001").FiresOnce().WithSeverity(Severity.Critical);
        Hosts.Fixture.Given(Logs.Timeouts(17, null, 7685)).Expect("APP1001").FiresOnce().WithSeverity(Severity.Warning);
    }

    [Fact]
    public void With_the_built_in_pack_the_host_rule_and_the_built_in_rule_both_fire()
    {
        Hosts.Fixture.WithBuiltInRules().Given(Logs.Timeouts(17, null, 7685))
            .Expect("APP1001").FiresOnce()
            .AndExpect("GI1001").FiresOnce().WithEvidenceExactlyAt("error.log:17", "gunicorn defaults");
    }

    [Fact]
    public void Scenarios_extend_a_shared_baseline_without_changing_it()
    {
        var baseline = Hosts.Fixture.Given(Logs.Timeouts(17, null, 7685));

        baseline.Given(Logs.Sigkill(40, 7711)).Expect("APP1002").FiresOnce();
        baseline.Expect("APP1002").IsSilent();
        baseline.Facts.Should().HaveCount(1);
    }
}
