using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;

namespace Gunicorn.Insights.Tests.Engine;

public sealed class NegationAndAggregateTests
{
    private sealed class ServerWithoutTimeouts : Rule
    {
        public override void Define()
        {
            Server server = null!;
            When()
                .Match(() => server)
                .Not<TimeoutLine>(t => t.Host == server.Name);
            Then().Report(TestDescriptors.Quiet, () => Finding.Of(server.Name).Because(server));
        }
    }

    private sealed class AnyTimeout : Rule
    {
        public override void Define()
        {
            Server server = null!;
            When()
                .Match(() => server)
                .Exists<TimeoutLine>(t => t.Host == server.Name);
            Then().Report(TestDescriptors.Saturation, () => Finding.Of(server.Name, "some").Because(server));
        }
    }

    private sealed class TimeoutStatistics(List<string> log) : Rule
    {
        public override void Define()
        {
            Server server = null!;
            int count = 0;
            IReadOnlyList<TimeoutLine> lines = null!;
            TimeSpan total = default;
            TimeSpan longest = default;
            When()
                .Match(() => server)
                .Count<TimeoutLine>(() => count, t => t.Host == server.Name)
                .Collect(() => lines, (TimeoutLine t) => t.Host == server.Name)
                .Sum(() => total, (TimeoutLine t) => t.RequestDuration, t => t.Host == server.Name)
                .Max(() => longest, (TimeoutLine t) => t.RequestDuration, t => t.Host == server.Name);
            Then().Do(_ => log.Add($"{server.Name}: count={count} pids={string.Join(",", lines.Select(l => l.Pid))} total={total.TotalSeconds} max={longest.TotalSeconds}"));
        }
    }

    private sealed class ManyTimeouts : Rule
    {
        public override void Define()
        {
            Server server = null!;
            IReadOnlyList<TimeoutLine> lines = null!;
            When()
                .Match(() => server)
                .Collect(() => lines, (TimeoutLine t) => t.Host == server.Name)
                .Having(() => lines.Count >= 3);
            Then().Report(TestDescriptors.Saturation, () => Finding.Of(server.Name, lines.Count).Because(server, lines));
        }
    }

    private sealed class ZeroCount(List<string> log) : Rule
    {
        public override void Define()
        {
            Server server = null!;
            int count = -1;
            When()
                .Match(() => server)
                .Count<TimeoutLine>(() => count, t => t.Host == server.Name);
            Then().Do(_ => log.Add($"{server.Name}: {count}"));
        }
    }

    private sealed class MinOfNothing(List<string> log) : Rule
    {
        public override void Define()
        {
            TimeSpan shortest = default;
            When().Min(() => shortest, (TimeoutLine t) => t.RequestDuration);
            Then().Do(_ => log.Add($"min={shortest.TotalSeconds}"));
        }
    }

    [Fact]
    public void Not_holds_while_no_fact_matches_and_its_diagnosis_goes_away_when_one_arrives()
    {
        var session = new RuleSet().Add(new ServerWithoutTimeouts()).Compile().CreateSession();
        session.InsertAll([new Server("web-1", 4), new Server("web-2", 4)]);
        session.Fire();
        session.Diagnoses.Select(d => d.Message).Should().Equal("web-1 had no worker timeouts", "web-2 had no worker timeouts");

        session.Insert(new TimeoutLine("web-1", 7, 31, line: 1));
        session.Fire().Should().Be(0);

        session.Diagnoses.Select(d => d.Message).Should().Equal("web-2 had no worker timeouts");
    }

    [Fact]
    public void Not_fires_again_when_the_negated_fact_is_retracted()
    {
        var timeout = new TimeoutLine("web-1", 7, 31, line: 1);
        var session = new RuleSet().Add(new ServerWithoutTimeouts()).Compile().CreateSession();
        session.InsertAll([new Server("web-1", 4), timeout]);
        session.Fire().Should().Be(0);

        session.Retract(timeout);

        session.Fire().Should().Be(1);
        session.Diagnoses.Should().ContainSingle().Which.Message.Should().Be("web-1 had no worker timeouts");
    }

    [Fact]
    public void Exists_fires_once_however_many_facts_satisfy_it()
    {
        var session = new RuleSet().Add(new AnyTimeout()).Compile().CreateSession();
        session.InsertAll([new Server("web-1", 4), new Server("web-2", 4)]);
        session.InsertAll(Enumerable.Range(0, 5).Select(i => new TimeoutLine("web-1", i, 31, i + 1)));

        session.Fire().Should().Be(1);

        session.Diagnoses.Should().ContainSingle().Which.Message.Should().Be("web-1 is saturated: some timeouts");
    }

    [Fact]
    public void Count_collect_sum_and_max_aggregate_the_facts_joined_to_each_match()
    {
        var log = new List<string>();
        var session = new RuleSet().Add(new TimeoutStatistics(log)).Compile().CreateSession();
        session.InsertAll(
        [
            new Server("web-1", 4), new Server("web-2", 4),
            new TimeoutLine("web-1", 11, 31, 1), new TimeoutLine("web-2", 21, 40, 2), new TimeoutLine("web-1", 12, 45.5, 3),
        ]);

        session.Fire();

        log.Should().Equal("web-1: count=2 pids=11,12 total=76.5 max=45.5", "web-2: count=1 pids=21 total=40 max=40");
    }

    [Fact]
    public void Count_binds_zero_when_nothing_matches()
    {
        var log = new List<string>();
        var session = new RuleSet().Add(new ZeroCount(log)).Compile().CreateSession();
        session.Insert(new Server("web-1", 4));

        session.Fire();

        log.Should().Equal("web-1: 0");
    }

    [Fact]
    public void Min_over_no_facts_does_not_match()
    {
        var log = new List<string>();
        var session = new RuleSet().Add(new MinOfNothing(log)).Compile().CreateSession();
        session.Fire();
        log.Should().BeEmpty();

        session.InsertAll([new TimeoutLine("a", 1, 40, 1), new TimeoutLine("a", 2, 35, 2)]);
        session.Fire();

        log.Should().Equal("min=35");
    }

    [Fact]
    public void An_aggregate_that_changes_refires_its_match_and_replaces_the_diagnosis()
    {
        var session = new RuleSet().Add(new ManyTimeouts()).Compile().CreateSession();
        session.Insert(new Server("web-1", 4));
        session.InsertAll(Enumerable.Range(0, 3).Select(i => new TimeoutLine("web-1", i, 31, i + 1)));
        session.Fire().Should().Be(1);
        session.Diagnoses.Should().ContainSingle().Which.Message.Should().Be("web-1 is saturated: 3 timeouts");

        session.Insert(new TimeoutLine("web-1", 9, 31, 9));
        session.Fire().Should().Be(1);

        var diagnosis = session.Diagnoses.Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be("web-1 is saturated: 4 timeouts");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("hosts.txt:1", "error.log:1", "error.log:2", "error.log:3", "error.log:9");
    }

    [Fact]
    public void Having_keeps_a_match_out_until_its_test_holds()
    {
        var session = new RuleSet().Add(new ManyTimeouts()).Compile().CreateSession();
        session.Insert(new Server("web-1", 4));
        session.InsertAll(Enumerable.Range(0, 2).Select(i => new TimeoutLine("web-1", i, 31, i + 1)));

        session.Fire().Should().Be(0);

        session.Diagnoses.Should().BeEmpty();
    }
}
