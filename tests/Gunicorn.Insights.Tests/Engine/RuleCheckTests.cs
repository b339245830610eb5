using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;

namespace Gunicorn.Insights.Tests.Engine;

public sealed class RuleCheckTests
{
    private sealed class BigServers : Rule
    {
        public override void Define()
        {
            Server server = null!;
            When().Match(() => server, s => s.Cpus >= 8);
            Then().Report(TestDescriptors.ServerSeen, () => Finding.Of(server.Name, server.Cpus).Because(server));
        }
    }

    private sealed class SlowTimeouts : Rule
    {
        public override void Define()
        {
            TimeoutLine line = null!;
            When().Match(() => line, l => l.Host != "", l => l.RequestDuration > TimeSpan.FromMinutes(5));
            Then().Report(TestDescriptors.Timeout, () => Finding.Of(line.Pid, line.Host, line.RequestDuration).Because(line));
        }
    }

    private sealed class QuietServers : Rule
    {
        public override void Define()
        {
            CpuLoad load = null!;
            When().Match(() => load);
            Then().Report(TestDescriptors.Busy, () => Finding.Of(load.Host, load.Percent));
        }
    }

    [Fact]
    public void Each_reporting_rule_says_whether_it_fired_passed_on_evidence_had_none_or_was_disabled()
    {
        var configuration = new InsightConfiguration(ruleSeverities: new Dictionary<string, ConfiguredSeverity> { ["TS1005"] = ConfiguredSeverity.None });
        var session = new RuleSet().Add(new BigServers()).Add(new SlowTimeouts()).Add(new QuietServers()).Compile().CreateSession(configuration);
        session.InsertAll([new Server("web-1", 16, line: 4), new TimeoutLine("web-1", 7, 31, 12), new TimeoutLine("web-1", 8, 40, 13)]);

        session.Fire();

        session.Checks.Select(c => (c.Descriptors.Single().Id, c.Outcome)).Should().Equal(
            ("TS1001", RuleCheckOutcome.Fired), ("TS1002", RuleCheckOutcome.Passed), ("TS1005", RuleCheckOutcome.Disabled));
        session.Checks[1].Evidence.Select(e => e.ToString()).Should().Equal("error.log:12: WORKER TIMEOUT (pid:7)", "error.log:13: WORKER TIMEOUT (pid:8)");
    }

    [Fact]
    public void A_rule_with_nothing_to_read_reports_no_evidence()
    {
        var session = new RuleSet().Add(new SlowTimeouts()).Compile().CreateSession();
        session.Insert(new Server("web-1", 2));

        session.Fire();

        session.Checks.Should().ContainSingle().Which.Outcome.Should().Be(RuleCheckOutcome.NoEvidence);
    }
}
