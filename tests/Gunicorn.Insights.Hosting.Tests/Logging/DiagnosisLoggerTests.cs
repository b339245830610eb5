using Gunicorn.Insights.Hosting.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gunicorn.Insights.Hosting.Tests.Logging;

public sealed class DiagnosisLoggerTests
{
    [Theory]
    [InlineData("GI1002", 1002)]
    [InlineData("GI0003", 3)]
    [InlineData("ACME42", 42)]
    public void The_event_id_is_the_number_in_the_rule_id_named_by_the_id(string ruleId, int id)
    {
        var eventId = DiagnosisLogger.EventIdOf(ruleId);

        eventId.Id.Should().Be(id);
        eventId.Name.Should().Be(ruleId);
    }

    [Fact]
    public void Each_diagnosis_of_the_incident_is_logged_with_its_rule_event_id_level_and_structured_properties()
    {
        var (entries, _) = AnalyseAndLog(Incident.Configuration());

        entries.Should().HaveCount(11).And.OnlyContain(e => e.Category == DiagnosisLogger.CategoryName);
        entries.Select(e => (e.EventId.Id, e.Level)).Should().Equal(
            (1002, LogLevel.Error), (1004, LogLevel.Error), (4001, LogLevel.Error),
            (1001, LogLevel.Warning), (2003, LogLevel.Warning), (2004, LogLevel.Warning), (3003, LogLevel.Warning), (4003, LogLevel.Warning),
            (3, LogLevel.Information), (3, LogLevel.Information), (3004, LogLevel.Information));
        var timeout = entries[0];
        timeout.EventId.Name.Should().Be("GI1002");
        timeout.Properties["RuleId"].Should().Be("GI1002");
        timeout.Properties["Severity"].Should().Be("critical");
        timeout.Properties["Category"].Should().Be("WorkerLifecycle");
        timeout.Properties["Instance"].Should().Be("web-1");
        timeout.Properties["HelpUri"].Should().Be("https://github.com/gunicorn-insights/gunicorn-insights/blob/main/docs/rules/GI1002.md");
        timeout.Properties["Message"].As<string>().Should().StartWith("6 WORKER TIMEOUT line(s) killed 6 worker(s) while the worker timeout was 30 s");
        timeout.Properties["Evidence"].As<string[]>().Select(Path.GetFileName).Should().StartWith(["error.log:6"]);
        timeout.Properties["{OriginalFormat}"].Should().Be(DiagnosisLogger.DiagnosisTemplate);
        timeout.Text.Should().StartWith("GI1002 critical on web-1: 6 WORKER TIMEOUT line(s) killed 6 worker(s)");
    }

    [Fact]
    public void A_suppressed_diagnosis_is_logged_at_debug_level_with_its_justification()
    {
        var (entries, _) = AnalyseAndLog(Incident.Configuration(
            ("GunicornInsights:Suppressions:0:Rule", "GI4001"),
            ("GunicornInsights:Suppressions:0:Justification", "loopback TCP measured, no difference here")));

        var suppressed = entries.Should().ContainSingle(e => e.Level == LogLevel.Debug).Subject;
        suppressed.EventId.Should().Be(new EventId(4001, "GI4001"));
        suppressed.Properties["Justification"].Should().Be("loopback TCP measured, no difference here");
        suppressed.Properties["{OriginalFormat}"].Should().Be(DiagnosisLogger.SuppressedTemplate);
        suppressed.Properties["Evidence"].As<string[]>().Select(Path.GetFileName).Should().Contain("nginx.conf:7");
        entries.Should().HaveCount(11).And.ContainSingle(e => e.EventId.Id == 4001);
    }

    [Fact]
    public void Recording_an_analysis_logs_nothing_unless_logging_is_turned_on()
    {
        var (entries, _) = AnalyseAndLog(Incident.Configuration(), logDiagnoses: false);

        entries.Should().BeEmpty();
    }

    [Fact]
    public void LogDiagnoses_in_the_section_turns_logging_on()
    {
        var (entries, _) = AnalyseAndLog(Incident.Configuration(("GunicornInsights:LogDiagnoses", "true")), logDiagnoses: false);

        entries.Should().HaveCount(11);
    }

    private static (IReadOnlyList<CapturingLoggerProvider.LogEntry> Entries, AnalysisResult Result) AnalyseAndLog(
        Microsoft.Extensions.Configuration.IConfiguration configuration, bool logDiagnoses = true)
    {
        var capture = new CapturingLoggerProvider();
        using var services = Incident.Services(configuration, s =>
        {
            s.AddLogging(logging => logging.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
            if (logDiagnoses)
            {
                s.LogGunicornInsightsDiagnoses();
            }
        });
        var result = services.GetRequiredService<DeploymentAnalyzer>().Analyze(Incident.Web1Observations);

        services.GetRequiredService<LatestAnalysis>().Record(result);

        return (capture.Entries.Where(e => e.Category == DiagnosisLogger.CategoryName).ToArray(), result);
    }
}
