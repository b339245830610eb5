using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;

namespace Gunicorn.Insights.Tests.Engine;

public sealed class ChainingAndAgendaTests
{
    [Priority(10)]
    private sealed class DeriveSaturation(List<string>? log = null) : Rule
    {
        public override void Define()
        {
            Server server = null!;
            IReadOnlyList<TimeoutLine> lines = null!;
            When()
                .Match(() => server)
                .Collect(() => lines, (TimeoutLine t) => t.Host == server.Name)
                .Having(() => lines.Count >= 2);
            Then()
                .Yield(() => new Saturated(server.Name, lines.Count, lines.Cast<Observation>().Prepend(server).ToArray()))
                .Do(_ => Log($"derive {server.Name}"));
        }

        private void Log(string entry) => log?.Add(entry);
    }

    private sealed class ReportSaturation(List<string>? log = null) : Rule
    {
        public override void Define()
        {
            Saturated saturated = null!;
            When().Match(() => saturated);
            Then()
                .Report(TestDescriptors.Saturation, () => Finding.Of(saturated.Host, saturated.Timeouts).Because(saturated))
                .Do(_ => Log($"report {saturated.Host}"));
        }

        private void Log(string entry) => log?.Add(entry);
    }

    [Priority(20)]
    private sealed class UrgentReportSaturation(List<string> log) : Rule
    {
        public override void Define()
        {
            Saturated saturated = null!;
            When().Match(() => saturated);
            Then().Do(_ => log.Add($"urgent {saturated.Host}"));
        }
    }

    private sealed class LowPriorityServer(List<string> log) : Rule
    {
        public override void Define()
        {
            Server server = null!;
            When().Match(() => server);
            Then().Do(_ => log.Add($"server {server.Name}"));
        }
    }

    [Priority(5)]
    private sealed class HighPriorityServer(List<string> log) : Rule
    {
        public override void Define()
        {
            Server server = null!;
            When().Match(() => server);
            Then().Do(_ => log.Add($"priority {server.Name}"));
        }
    }

    private static RuleSession Saturation(List<string>? log = null) =>
        new RuleSet().Add(new ReportSaturation(log)).Add(new DeriveSaturation(log)).Compile().CreateSession();

    [Fact]
    public void A_derived_fact_is_matched_by_another_rule_and_its_diagnosis_cites_the_original_evidence()
    {
        var session = Saturation();
        session.InsertAll([new Server("web-1", 4, line: 2), new TimeoutLine("web-1", 7, 31, 40), new TimeoutLine("web-1", 8, 33, 41)]);

        session.Fire().Should().Be(2);

        var diagnosis = session.Diagnoses.Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be("web-1 is saturated: 2 timeouts");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("hosts.txt:2", "error.log:40", "error.log:41");
        session.Query<Saturated>().Should().ContainSingle().Which.Timeouts.Should().Be(2);
    }

    [Fact]
    public void Retracting_the_evidence_retracts_the_derived_fact_and_the_diagnosis_built_on_it()
    {
        var line = new TimeoutLine("web-1", 8, 33, 41);
        var session = Saturation();
        session.InsertAll([new Server("web-1", 4), new TimeoutLine("web-1", 7, 31, 40), line]);
        session.Fire();

        session.Retract(line);
        session.Fire();

        session.Query<Saturated>().Should().BeEmpty();
        session.Diagnoses.Should().BeEmpty();
    }

    [Fact]
    public void A_changed_derivation_updates_the_derived_fact_in_place_and_its_consumer_refires()
    {
        var log = new List<string>();
        var session = Saturation(log);
        session.InsertAll([new Server("web-1", 4), new TimeoutLine("web-1", 7, 31, 40), new TimeoutLine("web-1", 8, 33, 41)]);
        session.Fire();

        session.Insert(new TimeoutLine("web-1", 9, 35, 42));
        session.Fire();

        log.Should().Equal("derive web-1", "report web-1", "derive web-1", "report web-1");
        session.Query<Saturated>().Should().ContainSingle().Which.Timeouts.Should().Be(3);
        session.Diagnoses.Should().ContainSingle().Which.Message.Should().Be("web-1 is saturated: 3 timeouts");
    }

    [Fact]
    public void Higher_priority_rules_fire_first_and_rules_of_equal_priority_keep_rule_set_order()
    {
        var log = new List<string>();
        var session = new RuleSet().Add(new LowPriorityServer(log)).Add(new HighPriorityServer(log)).Compile().CreateSession();
        session.InsertAll([new Server("a", 1), new Server("b", 1)]);

        session.Fire();

        log.Should().Equal("priority a", "priority b", "server a", "server b");
    }

    [Fact]
    public void A_higher_priority_consumer_of_a_derived_fact_fires_as_soon_as_the_fact_exists()
    {
        var log = new List<string>();
        var session = new RuleSet().Add(new DeriveSaturation(log)).Add(new UrgentReportSaturation(log)).Add(new LowPriorityServer(log))
            .Compile().CreateSession();
        session.InsertAll(
        [
            new Server("a", 1), new Server("b", 1),
            new TimeoutLine("a", 1, 31, 1), new TimeoutLine("a", 2, 31, 2), new TimeoutLine("b", 3, 31, 3), new TimeoutLine("b", 4, 31, 4),
        ]);

        session.Fire();

        log.Should().Equal("derive a", "urgent a", "derive b", "urgent b", "server a", "server b");
    }

    [Fact]
    public void Each_match_fires_once_and_only_new_matches_fire_after_more_facts_arrive()
    {
        var log = new List<string>();
        var session = new RuleSet().Add(new LowPriorityServer(log)).Compile().CreateSession();
        session.InsertAll([new Server("a", 1), new Server("b", 1)]);

        session.Fire().Should().Be(2);
        session.Fire().Should().Be(0);
        session.Insert(new Server("c", 1));
        session.Fire().Should().Be(1);

        log.Should().Equal("server a", "server b", "server c");
    }

    [Fact]
    public void Updating_a_mutable_fact_refires_the_matches_that_read_it_while_they_still_hold()
    {
        var load = new CpuLoad("web-1", 97);
        var session = new RuleSet().Add(new HighCpu()).Compile().CreateSession();
        session.Insert(load);
        session.Fire();
        session.Diagnoses.Should().ContainSingle().Which.Message.Should().Be("web-1 runs at 97 CPU");

        load.Percent = 99.5;
        session.Update(load);
        session.Fire().Should().Be(1);
        session.Diagnoses.Should().ContainSingle().Which.Message.Should().Be("web-1 runs at 99.5 CPU");

        load.Percent = 20;
        session.Update(load);
        session.Fire().Should().Be(0);
        session.Diagnoses.Should().BeEmpty();
    }

    [Fact]
    public void Replacing_an_immutable_observation_updates_its_matches()
    {
        var before = new Server("web-1", 4, line: 1);
        var session = new RuleSet().Add(new ReportServers()).Compile().CreateSession();
        session.Insert(before);
        session.Fire();

        session.Replace(before, before with { Cpus = 8, Source = new SourceLocation("hosts.txt", 9) });
        session.Fire().Should().Be(1);

        session.Diagnoses.Should().ContainSingle().Which.Evidence.Single().ToString().Should().Be("hosts.txt:9: web-1 has 8 CPUs");
    }

    [Fact]
    public void Inserting_the_same_object_twice_is_refused()
    {
        var server = new Server("a", 1);
        var session = new RuleSet().Add(new ReportServers()).Compile().CreateSession();
        session.Insert(server);

        var again = () => session.Insert(server);

        again.Should().Throw<InvalidOperationException>().WithMessage("*already in the session*");
    }

    private sealed class OneSaturationPerServer : Rule
    {
        public override void Define()
        {
            IReadOnlyList<Server> servers = null!;
            When().Collect(() => servers, (Server s) => s.Cpus < 4);
            Then().YieldAll(() => servers.Select(s => new Saturated(s.Name, 0, new Observation[] { s })));
        }
    }

    [Fact]
    public void YieldAll_links_every_derived_fact_to_the_match_and_follows_its_changes()
    {
        var small = new Server("small", 2);
        var session = new RuleSet().Add(new OneSaturationPerServer()).Add(new ReportSaturation()).Compile().CreateSession();
        session.InsertAll([small, new Server("tiny", 1), new Server("big", 16)]);
        session.Fire();
        session.Query<Saturated>().Select(s => s.Host).Should().Equal("small", "tiny");

        session.Retract(small);
        session.Fire();

        session.Query<Saturated>().Select(s => s.Host).Should().Equal("tiny");
        session.Diagnoses.Select(d => d.Message).Should().Equal("tiny is saturated: 0 timeouts");
    }

    private sealed class BigOrUnknownServers : Rule
    {
        public override void Define()
        {
            Server server = null!;
            When().Match(() => server);
            Then()
                .Report(TestDescriptors.ServerSeen, () => server.Cpus >= 8, () => Finding.Of(server.Name, server.Cpus).Because(server))
                .Report(TestDescriptors.Quiet, () => server.Cpus == 0, () => Finding.Of(server.Name).Because(server));
        }
    }

    [Fact]
    public void A_conditional_report_fires_only_for_the_matches_where_its_condition_holds()
    {
        var factory = new RuleSet().Add(new BigOrUnknownServers()).Compile();
        var session = factory.CreateSession();
        session.InsertAll([new Server("big", 16), new Server("small", 2), new Server("unknown", 0)]);

        session.Fire().Should().Be(3);

        session.Diagnoses.Select(d => $"{d.Id} {d.Instance}").Should().Equal("TS1001 big", "TS1004 unknown");
        factory.Descriptors.Select(d => d.Id).Should().Contain(["TS1001", "TS1004"], "both possible reports are declared");
    }

    private sealed class HighCpu : Rule
    {
        public override void Define()
        {
            CpuLoad load = null!;
            When().Match(() => load, l => l.Percent >= 90);
            Then().Report(TestDescriptors.Busy, () => Finding.Of(load.Host, load.Percent).ForInstance(load.Host));
        }
    }

    private sealed class ReportServers : Rule
    {
        public override void Define()
        {
            Server server = null!;
            When().Match(() => server);
            Then().Report(TestDescriptors.ServerSeen, () => Finding.Of(server.Name, server.Cpus).Because(server));
        }
    }
}
