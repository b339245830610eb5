using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;

namespace Gunicorn.Insights.Tests.Engine;

public sealed class SingleFactAndJoinTests
{
    private sealed class EveryServer : Rule
    {
        public override void Define()
        {
            Server server = null!;
            When().Match(() => server, s => s.Cpus > 0);
            Then().Report(TestDescriptors.ServerSeen, () => Finding.Of(server.Name, server.Cpus).Because(server));
        }
    }

    private sealed class TimeoutOnServer : Rule
    {
        public override void Define()
        {
            Server server = null!;
            TimeoutLine timeout = null!;
            When()
                .Match(() => server)
                .Match(() => timeout, t => t.Host == server.Name, t => t.RequestDuration > TimeSpan.FromSeconds(1));
            Then().Report(TestDescriptors.Timeout, () => Finding.Of(timeout.Pid, server.Name, timeout.RequestDuration).Because(server, timeout));
        }
    }

    private sealed class TimeoutOnBiggerServer : Rule
    {
        public override void Define()
        {
            TimeoutLine timeout = null!;
            Server server = null!;
            When()
                .Match(() => timeout)
                .Match(() => server, s => s.Cpus > timeout.Pid);
            Then().Report(TestDescriptors.Timeout, () => Finding.Of(timeout.Pid, server.Name, timeout.RequestDuration));
        }
    }

    [Fact]
    public void A_single_fact_rule_fires_once_per_matching_fact_with_its_values_and_location()
    {
        var session = new RuleSet().Add(new EveryServer()).Compile().CreateSession();
        session.InsertAll([new Server("web-1", 4, line: 3), new Server("web-2", 0, line: 4), new Server("web-3", 8, line: 5)]);

        session.Fire().Should().Be(2);

        session.Diagnoses.Select(d => d.Message).Should().Equal("web-1 has 4 CPUs", "web-3 has 8 CPUs");
        var first = session.Diagnoses[0];
        first.Id.Should().Be("TS1001");
        first.Severity.Should().Be(Severity.Info);
        first.Instance.Should().Be("web-1");
        first.Evidence.Should().ContainSingle().Which.ToString().Should().Be("hosts.txt:3: web-1 has 4 CPUs");
    }

    [Fact]
    public void A_join_pairs_only_facts_whose_keys_are_equal()
    {
        var session = new RuleSet().Add(new TimeoutOnServer()).Compile().CreateSession();
        session.InsertAll(
        [
            new Server("web-1", 4), new Server("web-2", 2),
            new TimeoutLine("web-1", 101, 31, line: 10), new TimeoutLine("web-2", 202, 45, line: 11),
            new TimeoutLine("web-3", 303, 50, line: 12), new TimeoutLine("web-1", 102, 0.5, line: 13),
        ]);

        session.Fire();

        session.Diagnoses.Select(d => d.Message).Should().Equal(
            "worker 101 on web-1 timed out after 31 s",
            "worker 202 on web-2 timed out after 45 s");
        session.Diagnoses[0].Evidence.Select(e => e.Location.ToString()).Should().Equal("hosts.txt:1", "error.log:10");
    }

    [Fact]
    public void A_join_on_an_inequality_compares_every_pair()
    {
        var session = new RuleSet().Add(new TimeoutOnBiggerServer()).Compile().CreateSession();
        session.InsertAll([new Server("small", 2), new Server("large", 16), new TimeoutLine("x", 4, 31, 1), new TimeoutLine("x", 32, 31, 2)]);

        session.Fire();

        session.Diagnoses.Should().ContainSingle().Which.Message.Should().Be("worker 4 on large timed out after 31 s");
    }

    [Fact]
    public void An_indexed_join_over_many_hosts_finds_exactly_one_partner_per_fact()
    {
        var session = new RuleSet().Add(new TimeoutOnServer()).Compile().CreateSession();
        for (var i = 0; i < 5_000; i++)
        {
            session.Insert(new Server($"web-{i}", 4, line: i + 1));
            session.Insert(new TimeoutLine($"web-{i}", 1000 + i, 31, line: i + 1));
        }

        session.Fire().Should().Be(5_000);

        session.Diagnoses.Should().HaveCount(5_000);
        session.Diagnoses.Should().OnlyContain(d => d.Message.StartsWith($"worker {1000 + int.Parse(d.Instance!.Substring(4))} on {d.Instance} "));
    }

    [Fact]
    public void A_pattern_on_a_base_type_matches_every_derived_type_in_insertion_order()
    {
        var seen = new List<string>();
        var session = new RuleSet().Add(new EveryObservation(seen)).Compile().CreateSession();
        session.InsertAll([new TimeoutLine("a", 1, 1, 1), new Server("b", 1), new TimeoutLine("c", 2, 1, 2)]);

        session.Fire();

        seen.Should().Equal("WORKER TIMEOUT (pid:1)", "b has 1 CPUs", "WORKER TIMEOUT (pid:2)");
    }

    private sealed class EveryObservation(List<string> seen) : Rule
    {
        public override void Define()
        {
            Gunicorn.Insights.Observations.Observation observation = null!;
            When().Match(() => observation);
            Then().Do(_ => seen.Add(observation.Describe()));
        }
    }
}
