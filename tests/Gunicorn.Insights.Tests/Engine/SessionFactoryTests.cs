using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;

namespace Gunicorn.Insights.Tests.Engine;

public sealed class SessionFactoryTests
{
    private static SessionFactory Factory() =>
        new RuleSet().Add(new ReportServers()).Add(new ReportTimeouts()).Add(new ReportQuietServers()).Compile();

    private static object[] Facts() =>
    [
        new Server("web-2", 2, line: 2), new Server("web-1", 4, line: 1),
        new TimeoutLine("web-2", 22, 31, 7), new TimeoutLine("web-1", 11, 40, 5), new TimeoutLine("web-2", 21, 35, 6),
    ];

    [Fact]
    public void Diagnoses_are_ordered_by_severity_then_id_then_instance_then_match_order()
    {
        var session = Factory().CreateSession();
        session.InsertAll(Facts());
        session.Fire();

        session.Diagnoses.Select(d => d.Key).Should().Equal(
            "TS1002/web-1/1", "TS1002/web-2/1", "TS1002/web-2/2", "TS1001/web-1/1", "TS1001/web-2/1");
        session.Diagnoses.Select(d => d.Message).Should().Equal(
            "worker 11 on web-1 timed out after 40 s",
            "worker 22 on web-2 timed out after 31 s",
            "worker 21 on web-2 timed out after 35 s",
            "web-1 has 4 CPUs",
            "web-2 has 2 CPUs");
    }

    [Fact]
    public void The_same_facts_in_the_same_order_give_the_same_result_in_every_session()
    {
        var factory = Factory();
        var runs = Enumerable.Range(0, 3).Select(_ =>
        {
            var session = factory.CreateSession();
            session.InsertAll(Facts());
            session.Fire();
            return string.Join("\n", session.Diagnoses.Select(d => $"{d.Key} {d.Message} [{string.Join(",", d.Related)}]"));
        }).ToList();

        runs.Distinct().Should().ContainSingle();
    }

    [Fact]
    public void Diagnoses_that_cite_the_same_evidence_are_linked_to_each_other()
    {
        var session = Factory().CreateSession();
        session.InsertAll(Facts());
        session.Fire();

        session.Diagnoses.Single(d => d.Key == "TS1001/web-1/1").Related.Should().Equal("TS1002/web-1/1");
        session.Diagnoses.Single(d => d.Key == "TS1002/web-2/2").Related.Should().Equal("TS1002/web-2/1", "TS1001/web-2/1");
        session.Diagnoses.Single(d => d.Key == "TS1001/web-2/1").Related.Should().Equal("TS1002/web-2/1", "TS1002/web-2/2");
    }

    [Fact]
    public void Sessions_running_while_the_factory_precompiles_give_what_they_give_after_it()
    {
        static string Run(SessionFactory factory)
        {
            var session = factory.CreateSession();
            session.InsertAll(Facts());
            session.Fire();
            return string.Join("\n", session.Diagnoses.Select(d => $"{d.Key} {d.Message}"));
        }

        var factory = Factory();
        var during = new string[8];
        Parallel.Invoke(
            factory.Precompile,
            () => Parallel.For(0, during.Length, i => during[i] = Run(factory)));
        factory.Precompile();

        during.Should().AllBe(Run(factory));
        Run(factory).Should().Contain("TS1002/web-2/2 worker 21 on web-2 timed out after 35 s");
    }

    [Fact]
    public void Sessions_created_concurrently_from_one_factory_do_not_share_state()
    {
        var factory = Factory();
        var results = new string[16];

        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            for (var round = 0; round < 20; round++)
            {
                var session = factory.CreateSession();
                for (var h = 0; h <= i; h++)
                {
                    session.Insert(new Server($"host-{i}-{h}", h + 1));
                    session.Insert(new TimeoutLine($"host-{i}-{h}", h, 31, h + 1));
                }

                session.Fire();
                results[i] = $"{session.Diagnoses.Count(d => d.Id == "TS1002")}/{session.Diagnoses.Count(d => d.Id == "TS1001")}/{session.Diagnoses.Count}";
            }
        });

        results.Should().Equal(Enumerable.Range(0, 16).Select(i => $"{i + 1}/{i + 1}/{2 * (i + 1)}"));
    }

    [Fact]
    public void The_factory_lists_every_descriptor_its_rules_report_and_the_engine_ones()
    {
        Factory().Descriptors.Select(d => d.Id).Should().Equal("GI0001", "GI0002", "GI0003", "TS1001", "TS1002", "TS1004");
    }

    [Fact]
    public void A_rule_set_discovers_the_public_rules_of_an_assembly_in_name_order()
    {
        var rules = RuleSet.FromAssemblies(typeof(SessionFactoryTests).Assembly).Rules;

        rules.Select(r => r.GetType()).Should().Equal(typeof(DiscoverableRules.FirstDiscoverableRule), typeof(DiscoverableRules.SecondDiscoverableRule));
    }

    [Fact]
    public void A_rule_turned_off_by_configuration_does_not_report()
    {
        var configuration = new InsightConfiguration(ruleSeverities: new Dictionary<string, ConfiguredSeverity> { ["TS1002"] = ConfiguredSeverity.None });
        var session = Factory().CreateSession(configuration);
        session.InsertAll(Facts());

        session.Fire();

        session.Diagnoses.Select(d => d.Id).Distinct().Should().Equal("TS1001");
    }

    [Fact]
    public void Severity_set_for_a_rule_wins_over_its_category_which_wins_over_the_default()
    {
        var configuration = new InsightConfiguration(
            ruleSeverities: new Dictionary<string, ConfiguredSeverity> { ["TS1001"] = ConfiguredSeverity.Critical },
            categorySeverities: new Dictionary<string, ConfiguredSeverity> { ["Testing"] = ConfiguredSeverity.Info, ["Quiet"] = ConfiguredSeverity.Warning });
        var session = Factory().CreateSession(configuration);
        session.InsertAll([new Server("web-1", 4), new TimeoutLine("web-1", 1, 31, 1), new Server("web-9", 1)]);

        session.Fire();

        session.Diagnoses.Select(d => $"{d.Id}:{d.Severity}").Should().Equal(
            "TS1001:Critical", "TS1001:Critical", "TS1004:Warning", "TS1002:Info");
    }

    [Fact]
    public void A_suppressed_diagnosis_is_kept_aside_with_its_justification()
    {
        var configuration = new InsightConfiguration(suppressions:
            [new Suppression("TS1002", "web-2 runs nightly batch jobs that are slow by design") { Instance = "web-2" }]);
        var session = Factory().CreateSession(configuration);
        session.InsertAll(Facts());

        session.Fire();

        session.Diagnoses.Where(d => d.Id == "TS1002").Select(d => d.Instance).Should().Equal("web-1");
        session.SuppressedDiagnoses.Should().HaveCount(2).And.OnlyContain(d =>
            d.Instance == "web-2" && d.Suppression!.Justification == "web-2 runs nightly batch jobs that are slow by design");
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

    private sealed class ReportTimeouts : Rule
    {
        public override void Define()
        {
            Server server = null!;
            TimeoutLine line = null!;
            When().Match(() => server).Match(() => line, l => l.Host == server.Name);
            Then().Report(TestDescriptors.Timeout, () => Finding.Of(line.Pid, server.Name, line.RequestDuration).Because(server, line));
        }
    }

    private sealed class ReportQuietServers : Rule
    {
        public override void Define()
        {
            Server server = null!;
            When().Match(() => server).Not<TimeoutLine>(l => l.Host == server.Name);
            Then().Report(TestDescriptors.Quiet, () => Finding.Of(server.Name).Because(server));
        }
    }
}
