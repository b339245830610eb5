using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;

namespace Gunicorn.Insights.Tests.Engine;

public sealed class IncrementalEvaluationTests
{
    private sealed class ServerCount(List<string> log) : Rule
    {
        public override void Define()
        {
            int servers = 0;
            When().Count<Server>(() => servers);
            Then().Do(_ => log.Add($"servers={servers}"));
        }
    }

    private sealed class TimeoutsPerServer(List<string> log) : Rule
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

    private sealed class SaturatedServer : Rule
    {
        public override void Define()
        {
            Server server = null!;
            IReadOnlyList<TimeoutLine> lines = null!;
            When()
                .Match(() => server)
                .Collect(() => lines, (TimeoutLine t) => t.Host == server.Name)
                .Having(() => lines.Count >= 2);
            Then().Report(TestDescriptors.Saturation, () => Finding.Of(server.Name, lines.Count).Because(server, lines));
        }
    }

    private sealed class ObservationsSeen(List<string> log) : Rule
    {
        public override void Define()
        {
            IReadOnlyList<Observation> observations = null!;
            When().Collect(() => observations, (Observation o) => o.Instance == "web-1");
            Then().Do(_ => log.Add(string.Join(", ", observations.Select(o => o.Describe()))));
        }
    }

    private sealed record Limit(string? Host, double Value);

    private sealed record Reading(string? Host, double Value);

    private sealed class ReadingAtLimit(List<string> log) : Rule
    {
        public override void Define()
        {
            Limit limit = null!;
            Reading reading = null!;
            When()
                .Match(() => limit)
                .Match(() => reading, r => r.Value == limit.Value);
            Then().Do(_ => log.Add($"value {reading.Value}"));
        }
    }

    private sealed class ReadingOfHost(List<string> log) : Rule
    {
        public override void Define()
        {
            Limit limit = null!;
            Reading reading = null!;
            When()
                .Match(() => limit)
                .Match(() => reading, r => r.Host == limit.Host);
            Then().Do(_ => log.Add($"host {reading.Host ?? "none"}: {reading.Value}"));
        }
    }

    [Fact]
    public void Joins_keep_the_equality_of_the_expression_for_nan_and_null_keys()
    {
        var log = new List<string>();
        var session = new RuleSet().Add(new ReadingAtLimit(log)).Add(new ReadingOfHost(log)).Compile().CreateSession();
        session.InsertAll([new Limit(null, double.NaN), new Limit("web-1", 1), new Reading(null, double.NaN), new Reading("web-1", 1), new Reading("web-2", 1)]);

        session.Fire();

        // NaN == NaN is false although the boxed keys are equal; null == null is true.
        log.Should().BeEquivalentTo("value 1", "value 1", "host none: NaN", "host web-1: 1");
    }

    [Fact]
    public void A_pattern_on_a_base_type_sees_facts_of_types_first_inserted_after_it_was_evaluated()
    {
        var log = new List<string>();
        var session = new RuleSet().Add(new ObservationsSeen(log)).Compile().CreateSession();
        session.Insert(new Server("web-1", 4));
        session.Fire();

        session.Insert(new TimeoutLine("web-1", 7, 31, line: 1));
        session.Insert(new Server("web-1", 8, line: 2));
        session.Fire();

        log.Should().Equal("web-1 has 4 CPUs", "web-1 has 4 CPUs, WORKER TIMEOUT (pid:7), web-1 has 8 CPUs");
    }

    [Fact]
    public void A_fact_of_a_type_no_rule_reads_leaves_every_rule_current()
    {
        var log = new List<string>();
        var session = new RuleSet().Add(new ServerCount(log)).Compile().CreateSession();
        session.Insert(new Server("web-1", 4));
        session.Fire();
        var evaluations = session.RuleEvaluations;

        session.Insert(new TimeoutLine("web-1", 7, 31, line: 1));
        session.Fire().Should().Be(0);

        session.RuleEvaluations.Should().Be(evaluations, "the rule reads servers only, and the first timeout line adds a new fact type");
        log.Should().Equal("servers=1");
    }

    [Fact]
    public void Aggregates_joined_on_the_instance_see_only_that_instances_facts_among_many()
    {
        const int servers = 300;
        var log = new List<string>();
        var session = new RuleSet().Add(new TimeoutsPerServer(log)).Compile().CreateSession();
        var line = 0;
        for (var i = 0; i < servers; i++)
        {
            session.Insert(new Server($"web-{i}", 4, line: i + 1));
            for (var pid = 0; pid < i % 4; pid++)
            {
                session.Insert(new TimeoutLine($"web-{i}", 1000 + pid, requestSeconds: 10 + pid, line: ++line));
            }
        }

        // The maximum of no lines has no value, so the servers without timeouts (every fourth) do not match.
        session.Fire().Should().Be(225);

        log.Should().HaveCount(225);
        log[0].Should().Be("web-1: count=1 pids=1000 total=10 max=10");
        log[1].Should().Be("web-2: count=2 pids=1000,1001 total=21 max=11");
        log[2].Should().Be("web-3: count=3 pids=1000,1001,1002 total=33 max=12");
        log[^1].Should().Be("web-299: count=3 pids=1000,1001,1002 total=33 max=12");
        line.Should().Be(450, "a quarter of the servers each have 0, 1, 2 and 3 lines");
    }

    [Fact]
    public void Sessions_of_one_factory_keep_their_facts_apart_however_they_interleave()
    {
        var factory = new RuleSet().Add(new SaturatedServer()).Compile();
        var first = factory.CreateSession();
        var second = factory.CreateSession();

        first.InsertAll([new Server("web-1", 4), new TimeoutLine("web-1", 7, 31, line: 1), new TimeoutLine("web-1", 8, 31, line: 2)]);
        second.Insert(new Server("web-1", 4));
        first.Fire();
        second.Insert(new TimeoutLine("web-1", 9, 31, line: 3));
        second.Fire();

        first.Diagnoses.Should().ContainSingle().Which.Evidence.Select(e => e.Location.Line).Should().Equal(1, 1, 2);
        second.Diagnoses.Should().BeEmpty("the second session has one timeout line");
        second.FactCount.Should().Be(3, "its parameters, one server and one timeout line");
    }

    [Fact]
    public void Sessions_on_many_threads_compile_a_shared_rule_once_and_agree()
    {
        var factory = new RuleSet().Add(new SaturatedServer()).Compile();

        var messages = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(4).Select(i =>
        {
            var session = factory.CreateSession();
            session.InsertAll([new Server($"web-{i}", 4), .. Enumerable.Range(0, i).Select(p => new TimeoutLine($"web-{i}", p, 31, line: p + 1))]);
            session.Fire();
            return session.Diagnoses.Select(d => d.Message).SingleOrDefault() ?? "";
        }).ToArray();

        messages.Count(m => m.Length > 0).Should().Be(6, "servers 2 to 7 have at least two timeout lines");
    }
}
