using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Tests.Engine;

namespace Gunicorn.Insights.Tests.Configuration;

public sealed class RuleParametersTests
{
    private static readonly InsightDescriptor SlowTimeout = new("TS2001", "Slow timeout", "worker {0} took {1}", "Testing", Severity.Warning)
    {
        Parameters = [new RuleParameter("limit", RuleParameterKind.Duration, "30s", "The slowest acceptable request.")],
    };

    private sealed class SlowerThanLimit : Rule
    {
        public override void Define()
        {
            RuleParameters parameters = null!;
            TimeoutLine line = null!;
            When()
                .Match(() => parameters)
                .Match(() => line, l => l.RequestDuration > parameters.Duration(SlowTimeout, "limit"));
            Then().Report(SlowTimeout, () => Finding.Of(line.Pid, line.RequestDuration).Because(line));
        }
    }

    private static SessionFactory Factory() => new RuleSet().Add(new SlowerThanLimit()).Compile();

    private static TimeoutLine[] Lines() => [new("a", 1, 20, 1), new("a", 2, 45, 2), new("a", 3, 90, 3)];

    [Fact]
    public void A_rule_reads_its_threshold_default_from_the_descriptor()
    {
        var session = Factory().CreateSession();
        session.InsertAll(Lines());

        session.Fire();

        session.Diagnoses.Select(d => d.Message).Should().Equal("worker 2 took 45 s", "worker 3 took 90 s");
    }

    [Fact]
    public void A_configured_threshold_replaces_the_default()
    {
        var configuration = InsightConfigurationFile.Parse("""{ "parameters": { "TS2001.limit": "1m" } }""", "x.json");
        var session = Factory().CreateSession(configuration);
        session.InsertAll(Lines());

        session.Fire();

        session.Diagnoses.Select(d => d.Message).Should().Equal("worker 3 took 90 s");
    }

    [Fact]
    public void A_threshold_read_again_is_the_same_and_a_wrong_kind_or_name_is_still_refused()
    {
        var configuration = InsightConfigurationFile.Parse("""{ "parameters": { "TS2001.limit": "1m" } }""", "x.json");
        var parameters = RuleParameters.Resolve(configuration, [SlowTimeout]);

        parameters.Duration(SlowTimeout, "limit").Should().Be(TimeSpan.FromMinutes(1));
        parameters.Duration(SlowTimeout, "limit").Should().Be(TimeSpan.FromMinutes(1));
        var asNumber = () => parameters.Number(SlowTimeout, "limit");
        var unknown = () => parameters.Duration(SlowTimeout, "limt");

        asNumber.Should().Throw<InvalidOperationException>().WithMessage("TS2001.limit is a Duration parameter, not a Number one.");
        unknown.Should().Throw<InvalidOperationException>().WithMessage("TS2001 declares no parameter 'limt'.");
        RuleParameters.Resolve(InsightConfiguration.Default, [SlowTimeout]).Duration(SlowTimeout, "limit").Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void An_unknown_parameter_is_refused_naming_the_ones_the_rule_has()
    {
        var create = () => Factory().CreateSession(new InsightConfiguration(parameters: new Dictionary<string, string> { ["TS2001.limt"] = "5s" }));

        create.Should().Throw<InsightConfigurationException>().WithMessage("Parameter 'TS2001.limt': TS2001 has the parameters limit.");
    }

    [Fact]
    public void An_invalid_value_is_refused_with_the_expected_form()
    {
        var create = () => Factory().CreateSession(new InsightConfiguration(parameters: new Dictionary<string, string> { ["TS2001.limit"] = "soon" }));

        create.Should().Throw<InsightConfigurationException>()
            .WithMessage("Parameter 'TS2001.limit': 'soon' is not valid for parameter 'limit': expected a duration such as 2s, 1500ms or 1m.");
    }

    [Theory]
    [InlineData("2s", 2000)]
    [InlineData("1500ms", 1500)]
    [InlineData("1m", 60000)]
    [InlineData("2.5", 2500)]
    public void Durations_are_read_in_the_unit_written(string text, int milliseconds)
    {
        new RuleParameter("x", RuleParameterKind.Duration, "1s", "").Parse(text).Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }
}
