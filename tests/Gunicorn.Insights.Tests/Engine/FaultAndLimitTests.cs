using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;

namespace Gunicorn.Insights.Tests.Engine;

public sealed class FaultAndLimitTests
{
    private sealed class ThrowsOnOddPids : Rule
    {
        public override void Define()
        {
            TimeoutLine line = null!;
            When().Match(() => line, l => l.Pid % 2 == 0 || Throw(l.Pid));
            Then().Report(TestDescriptors.Timeout, () => Finding.Of(line.Pid, line.Host, line.RequestDuration).Because(line));
        }

        private static bool Throw(int pid) => throw new InvalidOperationException($"cannot read pid {pid}");
    }

    private sealed class ThrowsWhileFiring : Rule
    {
        public override void Define()
        {
            Server server = null!;
            When().Match(() => server);
            Then().Do(_ => Fail(server.Name));
        }

        private static void Fail(string name) => throw new FormatException($"bad name {name}");
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

    private sealed class MultipliesItself : Rule
    {
        public override void Define()
        {
            Server server = null!;
            When().Match(() => server);
            Then().Do(context => context.Insert(new Server(server.Name + "+", server.Cpus)));
        }
    }

    private sealed class UsesVariableTooEarly : Rule
    {
        public override void Define()
        {
            Server server = null!;
            TimeoutLine line = null!;
            When()
                .Match(() => server, s => s.Name == line.Host)
                .Match(() => line);
            Then().Do(_ => Console.WriteLine(server));
        }
    }

    private sealed class NoActions : Rule
    {
        public override void Define()
        {
            Server server = null!;
            When().Match(() => server);
        }
    }

    private sealed class BindsAnExpression : Rule
    {
        public override void Define()
        {
            When().Match(() => new Server("x", 1));
            Then().Do(_ => Console.WriteLine());
        }
    }

    [Fact]
    public void A_condition_that_throws_becomes_an_engine_diagnosis_and_the_other_matches_still_report()
    {
        var session = new RuleSet().Add(new ThrowsOnOddPids()).Add(new ReportServers()).Compile().CreateSession();
        session.InsertAll([new TimeoutLine("web-1", 2, 31, 1), new TimeoutLine("web-1", 3, 31, 2), new TimeoutLine("web-1", 5, 31, 3), new Server("web-1", 4)]);

        session.Fire();

        session.Diagnoses.Select(d => d.Id).Should().BeEquivalentTo(["TS1002", "GI0001", "TS1001"]);
        var fault = session.Diagnoses.Single(d => d.Id == "GI0001");
        fault.Message.Should().Be($"Rule '{typeof(ThrowsOnOddPids).FullName}' threw InvalidOperationException while evaluating its conditions (2 time(s)): cannot read pid 3");
        fault.Severity.Should().Be(Severity.Warning);
        fault.Evidence.Should().ContainSingle().Which.Location.ToString().Should().Be("error.log:2");
    }

    [Fact]
    public void An_action_that_throws_becomes_an_engine_diagnosis_naming_the_rule()
    {
        var session = new RuleSet().Add(new ThrowsWhileFiring()).Add(new ReportServers()).Compile().CreateSession();
        session.Insert(new Server("web-1", 4));

        session.Fire();

        session.Diagnoses.Select(d => d.Message).Should().BeEquivalentTo(
        [
            $"Rule '{typeof(ThrowsWhileFiring).FullName}' threw FormatException while firing (1 time(s)): bad name web-1",
            "web-1 has 4 CPUs",
        ]);
    }

    [Fact]
    public void Rules_that_keep_triggering_themselves_stop_at_the_firing_limit_with_an_engine_diagnosis()
    {
        var session = new RuleSet().Add(new MultipliesItself()).Compile(maxFirings: 50).CreateSession();
        session.Insert(new Server("a", 1));

        session.Fire().Should().Be(50);

        session.Diagnoses.Should().ContainSingle().Which.Should().Match<Diagnosis>(d =>
            d.Id == "GI0002" && d.Severity == Severity.Critical
            && d.Message == $"The session stopped after 50 rule firings; rule '{typeof(MultipliesItself).FullName}' was firing when the limit was reached");
    }

    [Fact]
    public void Using_a_variable_before_the_element_that_binds_it_is_a_definition_error()
    {
        var compile = () => new RuleSet().Add(new UsesVariableTooEarly()).Compile();

        compile.Should().Throw<RuleDefinitionException>().WithMessage("*UsesVariableTooEarly*uses 'line' before the element that binds it*");
    }

    [Fact]
    public void A_rule_without_actions_is_a_definition_error()
    {
        var compile = () => new RuleSet().Add(new NoActions()).Compile();

        compile.Should().Throw<RuleDefinitionException>().WithMessage("*NoActions*has no actions*");
    }

    [Fact]
    public void A_binding_must_name_a_variable()
    {
        var compile = () => new RuleSet().Add(new BindsAnExpression()).Compile();

        compile.Should().Throw<RuleDefinitionException>().WithMessage("*a binding must name a local variable*");
    }
}
