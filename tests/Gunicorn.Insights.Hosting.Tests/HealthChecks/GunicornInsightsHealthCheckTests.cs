using Gunicorn.Insights.Hosting.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gunicorn.Insights.Hosting.Tests.HealthChecks;

public sealed class GunicornInsightsHealthCheckTests
{
    [Fact]
    public async Task A_critical_diagnosis_makes_the_deployment_unhealthy_with_counts_and_rule_ids()
    {
        var entry = await CheckAfterAnalysing(Incident.Web1Observations);

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Data["critical"].Should().Be(3);
        entry.Data["warning"].Should().Be(5);
        entry.Data["info"].Should().Be(3);
        entry.Data["suppressed"].Should().Be(0);
        entry.Data["rules"].Should().BeEquivalentTo(
            new[] { "GI1002", "GI1004", "GI4001", "GI1001", "GI2003", "GI2004", "GI3003", "GI4003", "GI0003", "GI3004" },
            o => o.WithStrictOrdering());
        entry.Description.Should().StartWith("3 critical, 5 warning, 3 info: GI1002, GI1004, GI4001");
    }

    [Fact]
    public async Task Warnings_without_criticals_make_the_deployment_degraded()
    {
        var entry = await CheckAfterAnalysing(Incident.Web1Observations,
            ("GunicornInsights:Rules:GI1002", "warning"),
            ("GunicornInsights:Rules:GI1004", "warning"),
            ("GunicornInsights:Suppressions:0:Rule", "GI4001"),
            ("GunicornInsights:Suppressions:0:Justification", "loopback TCP measured, no difference here"));

        entry.Status.Should().Be(HealthStatus.Degraded);
        entry.Data["critical"].Should().Be(0);
        entry.Data["warning"].Should().Be(7);
        entry.Data["suppressed"].Should().Be(1);
    }

    [Fact]
    public async Task A_clean_analysis_is_healthy()
    {
        var entry = await CheckAfterAnalysing(Incident.HealthyObservations);

        entry.Status.Should().Be(HealthStatus.Healthy);
        entry.Description.Should().Be("No diagnoses.");
        entry.Data["critical"].Should().Be(0);
        entry.Data["rules"].As<string[]>().Should().BeEmpty();
    }

    [Fact]
    public async Task Info_diagnoses_alone_stay_healthy()
    {
        var entry = await CheckAfterAnalysing(Incident.Web1Observations,
            ("GunicornInsights:Categories:WorkerLifecycle", "info"),
            ("GunicornInsights:Categories:Capacity", "info"),
            ("GunicornInsights:Categories:Latency", "info"),
            ("GunicornInsights:Categories:Proxy", "info"));

        entry.Status.Should().Be(HealthStatus.Healthy);
        entry.Data["info"].Should().Be(11);
    }

    [Fact]
    public async Task Before_any_analysis_is_recorded_the_check_is_healthy_and_says_so()
    {
        using var services = HealthServices(Incident.Configuration());

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Entries[GunicornInsightsHealthCheck.DefaultName].Description.Should().Be("No analysis recorded yet.");
        report.Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task The_latest_recorded_analysis_decides()
    {
        using var services = HealthServices(Incident.Configuration());
        var analyzer = services.GetRequiredService<DeploymentAnalyzer>();
        var latest = services.GetRequiredService<LatestAnalysis>();
        latest.Record(analyzer.Analyze(Incident.Web1Observations));

        latest.Record(analyzer.Analyze(Incident.HealthyObservations));
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Status.Should().Be(HealthStatus.Healthy);
        report.Entries[GunicornInsightsHealthCheck.DefaultName].Data["recordedAt"].Should().Be(latest.Current!.RecordedAt);
    }

    private static async Task<HealthReportEntry> CheckAfterAnalysing(IReadOnlyList<object> observations, params (string Key, string? Value)[] settings)
    {
        using var services = HealthServices(Incident.Configuration(settings));
        var result = services.GetRequiredService<DeploymentAnalyzer>().Analyze(observations);
        services.GetRequiredService<LatestAnalysis>().Record(result);

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Entries.Keys.Should().Equal(GunicornInsightsHealthCheck.DefaultName);
        report.Status.Should().Be(report.Entries[GunicornInsightsHealthCheck.DefaultName].Status);
        return report.Entries[GunicornInsightsHealthCheck.DefaultName];
    }

    private static ServiceProvider HealthServices(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        Incident.Services(configuration, s => s.AddLogging().AddHealthChecks().AddGunicornInsights());
}
