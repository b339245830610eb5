using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Rules.Tests.Capacity;

public sealed class ConnectionBacklogQueueingRuleTests
{
    [Fact]
    public void A_saturated_pool_queues_connections_in_the_default_backlog()
    {
        var session = BuiltInRules.Analyze([Observe.Gunicorn("workers", SettingValue.Integer(3), line: 4), .. Observe.Busy(3, 3, 3, 3, 2, 3, 3, 1, 3)]);

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI2004").Should().ContainSingle().Subject;
        diagnosis.Severity.Should().Be(Severity.Warning);
        diagnosis.Message.Should().Be(
            "The worker pool was saturated (all 3 workers busy in 6 of 8 samples (75 %)); new connections then wait in the listen backlog "
            + "(backlog = 2048, Gunicorn's default) until a worker accepts them, and Gunicorn's request durations do not include that wait");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal(
            "access.log:1", "access.log:2", "access.log:3", "gunicorn.conf.py:4", "gunicorn defaults");
    }

    [Fact]
    public void A_full_backlog_reported_by_nginx_names_the_refused_connections_and_the_configured_backlog()
    {
        var session = BuiltInRules.Analyze(
            Observe.Gunicorn("backlog", SettingValue.Integer(64), line: 7),
            Observe.Lines(LogSignatureKind.UpstreamConnectFailed, 12,
                "2026/11/23 23:45:22 [error] 31#31: *4 connect() to unix:/run/gunicorn.sock failed (11: Resource temporarily unavailable) while connecting to upstream",
                "nginx-error.log", 88));

        var diagnosis = session.Diagnoses.Where(d => d.Id == "GI2004").Should().ContainSingle().Subject;
        diagnosis.Message.Should().Be(
            "The worker pool was saturated (12 connection(s) refused by a full listen backlog (11: Resource temporarily unavailable)); "
            + "new connections then wait in the listen backlog (backlog = 64) until a worker accepts them, and Gunicorn's request durations do not include that wait");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Equal("nginx-error.log:88", "gunicorn defaults", "gunicorn.conf.py:7");
    }

    [Fact]
    public void A_pool_that_only_briefly_fills_does_not_fire()
    {
        var session = BuiltInRules.Analyze([.. Observe.Busy(4, 4, 1, 2, 4, 1, 0, 2, 1, 3, 2)]);

        session.Diagnoses.Where(d => d.Id == "GI2004").Should().BeEmpty();
    }
}
