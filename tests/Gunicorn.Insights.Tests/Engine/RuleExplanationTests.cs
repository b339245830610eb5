using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;

namespace Gunicorn.Insights.Tests.Engine;

public sealed class RuleExplanationTests
{
    private sealed class SlowTimeoutOnServer : Rule
    {
        public override void Define()
        {
            Server server = null!;
            TimeoutLine timeout = null!;
            When()
                .Match(() => server, s => s.Cpus > 0)
                .Match(() => timeout, t => t.Host == server.Name, t => t.RequestDuration > TimeSpan.FromSeconds(1))
                .Not<CpuLoad>(c => c.Host == server.Name);
            Then().Report(TestDescriptors.Timeout, () => Finding.Of(timeout.Pid, server.Name, timeout.RequestDuration).Because(server, timeout));
        }
    }

    private sealed class SaturationFromTimeouts : Rule
    {
        public override void Define()
        {
            Server server = null!;
            IReadOnlyList<TimeoutLine> lines = null!;
            When()
                .Match(() => server)
                .Collect(() => lines, (TimeoutLine t) => t.Host == server.Name)
                .Having(() => lines.Count >= 3);
            Then().Yield(() => new Saturated(server.Name, lines.Count, lines.Cast<Observation>().Prepend(server).ToArray()));
        }
    }

    private sealed class SaturationReported : Rule
    {
        public override void Define()
        {
            Saturated saturated = null!;
            When().Match(() => saturated);
            Then().Report(TestDescriptors.Saturation, () => Finding.Of(saturated.Host, saturated.Timeouts).Because(saturated));
        }
    }

    private static RuleSession Session(params object[] facts)
    {
        var session = new RuleSet().Add(new SlowTimeoutOnServer()).Add(new SaturationFromTimeouts()).Add(new SaturationReported())
            .Compile().CreateSession();
        session.InsertAll(facts);
        session.Fire();
        return session;
    }

    [Fact]
    public void A_rule_that_fired_shows_every_condition_held_with_its_counts()
    {
        var session = Session(new Server("web-1", 4), new Server("web-2", 2), new TimeoutLine("web-1", 7, 31, 10), new TimeoutLine("web-2", 8, 0.5, 11));

        var explanation = session.Explain(TestDescriptors.Timeout.Id).Should().ContainSingle().Subject;

        explanation.Check.Outcome.Should().Be(RuleCheckOutcome.Fired);
        explanation.Matches.Should().Be(1);
        explanation.Conditions.Select(c => (c.Kind, c.FactType?.Name, c.FactsOfType, c.FactsPassingOwnConditions, c.MatchesIn, c.MatchesOut))
            .Should().Equal(
                (ConditionKind.Match, "Server", 2, 2, 1L, 2L),
                (ConditionKind.Match, "TimeoutLine", 2, 1, 2L, 1L),
                (ConditionKind.Not, "CpuLoad", 0, 0, 1L, 1L));
        explanation.FirstUnmet.Should().BeNull();
    }

    [Fact]
    public void A_silent_rule_names_the_condition_where_the_matches_ran_out_and_the_text_of_its_conditions()
    {
        var session = Session(new Server("web-1", 4), new TimeoutLine("web-1", 7, 0.2, 10));

        var explanation = session.Explain("SlowTimeoutOnServer").Should().ContainSingle().Subject;

        explanation.Check.Outcome.Should().Be(RuleCheckOutcome.Passed);
        var unmet = explanation.FirstUnmet!;
        unmet.Position.Should().Be(1);
        unmet.FactsOfType.Should().Be(1);
        unmet.FactsPassingOwnConditions.Should().Be(0);
        unmet.Conditions.Should().Equal("t => (t.Host == server.Name)", "t => (t.RequestDuration > FromSeconds(1))");
        explanation.Conditions[2].MatchesIn.Should().Be(0, "nothing reached the last condition");
    }

    [Fact]
    public void A_negation_that_blocks_is_the_unmet_condition()
    {
        var session = Session(new Server("web-1", 4), new TimeoutLine("web-1", 7, 31, 10), new CpuLoad("web-1", 95));

        var unmet = session.Explain(TestDescriptors.Timeout.Id).Single().FirstUnmet!;

        unmet.Kind.Should().Be(ConditionKind.Not);
        unmet.FactsPassingOwnConditions.Should().Be(1);
        unmet.MatchesIn.Should().Be(1);
        unmet.MatchesOut.Should().Be(0);
    }

    [Fact]
    public void A_missing_derived_fact_names_the_rule_that_derives_it()
    {
        var session = Session(new Server("web-1", 4), new TimeoutLine("web-1", 7, 31, 10));

        var explanation = session.Explain(TestDescriptors.Saturation.Id).Single();
        var derivation = session.Explain(nameof(SaturationFromTimeouts)).Single();

        explanation.FirstUnmet!.FactType.Should().Be<Saturated>();
        explanation.FirstUnmet.DerivedBy.Should().ContainSingle().Which.Should().EndWith(nameof(SaturationFromTimeouts));
        derivation.FirstUnmet!.Kind.Should().Be(ConditionKind.Having);
        derivation.FirstUnmet.Conditions.Should().Equal("() => (lines.Count >= 3)");
    }

    [Fact]
    public void Explaining_does_not_change_the_session()
    {
        var session = Session(new Server("web-1", 4), new TimeoutLine("web-1", 7, 31, 10));
        var before = session.Diagnoses;

        session.Explain(TestDescriptors.Timeout.Id);

        session.Fire().Should().Be(0);
        session.Diagnoses.Should().Equal(before);
    }

    [Fact]
    public void An_unknown_id_explains_nothing()
    {
        Session(new Server("web-1", 4)).Explain("TS9999").Should().BeEmpty();
    }
}
