using Gunicorn.Insights.Monitoring;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace Gunicorn.Insights.Tests.Monitoring;

public sealed class InsightMonitorTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services = new ServiceCollection().AddGunicornInsights().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    private InsightMonitor NewMonitor() => _services.GetRequiredService<InsightMonitorFactory>().Create();

    private static LogSignature Timeouts(DateTimeOffset at, long count = 2, int line = 17, int pid = 7685) =>
        new(LogSignatureKind.WorkerTimeout, count,
            [new LogExample(new SourceLocation("error.log", line), $"[{at:yyyy-MM-dd HH:mm:ss} +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:{pid})")])
        {
            Pids = [pid],
            FirstSeen = at,
            LastSeen = at,
        };

    private static ConfigParameter Timeout(long seconds, int line = 4) =>
        new(ConfigurationScope.Gunicorn, "timeout", SettingValue.Seconds(seconds), SettingOrigin.ConfigurationFile,
            new SourceLocation("gunicorn.conf.py", line)) { WrittenAs = "timeout" };

    [Fact]
    public void The_factory_is_a_singleton_whose_monitors_are_independent()
    {
        var factory = _services.GetRequiredService<InsightMonitorFactory>();
        var first = factory.Create();
        var second = factory.Create(new InsightMonitorOptions { Window = TimeSpan.FromMinutes(5) });

        first.Update([Timeouts(Start)], Start);

        _services.GetRequiredService<InsightMonitorFactory>().Should().BeSameAs(factory);
        second.Session.Should().NotBeSameAs(first.Session);
        second.Options.Window.Should().Be(TimeSpan.FromMinutes(5));
        first.Active.Should().Contain(d => d.Id == "GI1001");
        second.Active.Should().BeEmpty();
    }

    [Fact]
    public void A_worker_timeout_signature_fires_GI1001_with_its_log_line_as_evidence()
    {
        var monitor = NewMonitor();

        var changes = monitor.Update([Timeouts(Start)], Start);

        var firing = changes.Should().ContainSingle(c => c.Diagnosis.Id == "GI1001").Subject;
        firing.Kind.Should().Be(DiagnosisChangeKind.Firing);
        firing.At.Should().Be(Start);
        firing.Diagnosis.Message.Should().StartWith("Gunicorn logged 2 WORKER TIMEOUT line(s)");
        firing.Diagnosis.Evidence[0].Location!.ToString().Should().Be("error.log:17");
        changes.Should().OnlyContain(c => c.Kind == DiagnosisChangeKind.Firing);
        monitor.Active.Select(d => d.Key).Should().Equal(changes.Select(c => c.Diagnosis.Key));
    }

    [Fact]
    public void Timeouts_resolve_once_the_window_passes_without_new_ones()
    {
        var monitor = NewMonitor();
        var fired = monitor.Update([Timeouts(Start)], Start);

        monitor.Update([], Start.AddMinutes(14)).Should().BeEmpty("the timeouts are still inside the 15-minute window");
        var changes = monitor.Update([], Start.AddMinutes(16));

        changes.Should().OnlyContain(c => c.Kind == DiagnosisChangeKind.Resolved);
        changes.Select(c => c.Diagnosis.Key).Should().BeEquivalentTo(fired.Select(c => c.Diagnosis.Key));
        changes.Should().Contain(c => c.Diagnosis.Id == "GI1001" && c.At == Start.AddMinutes(16));
        monitor.Active.Should().NotContain(d => d.Id == "GI1001");
        monitor.ObservationCount.Should().Be(0);
    }

    [Fact]
    public void Configuration_persists_across_windows()
    {
        var monitor = NewMonitor();
        monitor.Update([Timeout(120)], Start);

        var changes = monitor.Update([Timeouts(Start.AddHours(1))], Start.AddHours(1));

        var timeout = changes.Should().ContainSingle(c => c.Diagnosis.Id == "GI1001").Subject.Diagnosis;
        timeout.Message.Should().Contain("the worker timeout is 120 s");
        timeout.Evidence.Select(e => e.Location?.ToString()).Should().Contain("gunicorn.conf.py:4");
        monitor.ObservationCount.Should().Be(2);
    }

    [Fact]
    public void A_new_reading_of_a_configuration_file_replaces_the_previous_one()
    {
        var monitor = NewMonitor();
        monitor.Update([Timeout(120), Timeouts(Start)], Start);

        var changes = monitor.Update([Timeout(30, line: 5)], Start.AddMinutes(1));

        monitor.ObservationCount.Should().Be(2, "the second reading of gunicorn.conf.py replaced the first");
        monitor.Active.Should().ContainSingle(d => d.Id == "GI1001").Which.Message.Should().Contain("the worker timeout is 30 s");
        changes.Should().NotContain(c => c.Diagnosis.Id == "GI1001", "GI1001/*/1 held before and after");
    }

    [Fact]
    public void An_unchanged_diagnosis_emits_nothing()
    {
        var monitor = NewMonitor();
        monitor.Update([Timeout(30), Timeouts(Start)], Start).Should().Contain(c => c.Diagnosis.Id == "GI1001");

        monitor.Update([], Start.AddMinutes(1)).Should().BeEmpty();
        monitor.Update([Timeouts(Start.AddMinutes(2), count: 3, line: 40, pid: 7700)], Start.AddMinutes(2)).Should().BeEmpty();
        monitor.Active.Should().ContainSingle(d => d.Id == "GI1001").Which.Message.Should().StartWith("Gunicorn logged 5 WORKER TIMEOUT line(s)");
    }

    [Fact]
    public void An_update_keeps_the_session_and_evaluates_only_rules_whose_facts_changed()
    {
        var monitor = NewMonitor();
        var session = monitor.Session;
        var rules = _services.GetRequiredService<Gunicorn.Insights.Engine.SessionFactory>().RuleNames.Count;
        monitor.Update([Timeout(30), Timeouts(Start)], Start);
        var first = session.RuleEvaluations;

        monitor.Update([], Start.AddMinutes(1));
        var idle = session.RuleEvaluations - first;
        monitor.Update([Timeouts(Start.AddMinutes(2), line: 40)], Start.AddMinutes(2));
        var oneSignature = session.RuleEvaluations - first - idle;

        monitor.Session.Should().BeSameAs(session);
        first.Should().BeGreaterThanOrEqualTo(rules);
        idle.Should().Be(0, "nothing changed, so no rule is stale");
        // Every observation feeds the derived GunicornConfiguration, so a new signature re-derives it; the result is equal
        // to the configuration already in the session, which stays, so only the rules that read signatures, all
        // observations, or facts derived from signatures (WorkerTimeouts and what follows from it) run again: 36 of the
        // 56 rules (51 when the re-derived configuration counted as a change).
        oneSignature.Should().BePositive().And.BeLessThan(first, "a fresh session would evaluate every rule from scratch");
        oneSignature.Should().Be(36);
    }

    [Fact]
    public void Observations_already_outside_the_window_are_not_inserted()
    {
        var monitor = NewMonitor();

        var changes = monitor.Update([Timeouts(Start.AddMinutes(-20))], Start);

        changes.Should().NotContain(c => c.Diagnosis.Id == "GI1001");
        monitor.ObservationCount.Should().Be(0);
    }

    [Fact]
    public void A_new_snapshot_from_a_scraped_source_replaces_the_previous_one()
    {
        var monitor = NewMonitor();
        const string url = "http://web-1:9100/metrics";
        Gauge Workers(double value, DateTimeOffset at) => new("gunicorn_workers", value, MetricUnit.Count, new SourceLocation(url, 12)) { Timestamp = at };

        monitor.Update([Workers(4, Start)], Start, [url]);
        monitor.Update([Workers(3, Start.AddSeconds(15))], Start.AddSeconds(15), [url]);

        monitor.ObservationCount.Should().Be(1);
        monitor.Session.Query<Gauge>().Should().ContainSingle().Which.Value.Should().Be(3);
    }
}
