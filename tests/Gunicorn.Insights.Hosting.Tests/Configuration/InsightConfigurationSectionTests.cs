using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Rules.Latency;
using Microsoft.Extensions.DependencyInjection;

namespace Gunicorn.Insights.Hosting.Tests.Configuration;

public sealed class InsightConfigurationSectionTests
{
    [Fact]
    public void Binds_rule_and_category_severities_suppressions_and_parameters_from_the_section()
    {
        var configuration = Incident.Configuration(
            ("GunicornInsights:Rules:GI1001", "critical"),
            ("GunicornInsights:Rules:GI3002", "none"),
            ("GunicornInsights:Categories:Latency", "info"),
            ("GunicornInsights:Suppressions:0:Rule", "GI2003"),
            ("GunicornInsights:Suppressions:0:Justification", "memory-bound host, worker count benchmarked"),
            ("GunicornInsights:Suppressions:0:Instance", "web-1"),
            ("GunicornInsights:Suppressions:1:Rule", "GI4001"),
            ("GunicornInsights:Suppressions:1:Justification", "loopback TCP measured, no difference here"),
            ("GunicornInsights:Suppressions:1:Source", "nginx.conf"),
            ("GunicornInsights:Parameters:GI3001.p95-limit", "1.5s"),
            ("GunicornInsights:Parameters:GI2001:min-share", "10"));
        using var services = Incident.Services(configuration);

        var analyzer = services.GetRequiredService<DeploymentAnalyzer>();

        analyzer.Configuration.RuleSeverities.Should().BeEquivalentTo(new Dictionary<string, ConfiguredSeverity>
        {
            ["GI1001"] = ConfiguredSeverity.Critical,
            ["GI3002"] = ConfiguredSeverity.None,
        });
        analyzer.Configuration.EffectiveSeverity(LatencyDescriptors.HighP95Latency).Should().Be(Diagnostics.Severity.Info);
        analyzer.Configuration.EffectiveSeverity(LatencyDescriptors.RequestDurationRise).Should().BeNull();
        analyzer.Configuration.Suppressions.Should().Equal(
            new Suppression("GI2003", "memory-bound host, worker count benchmarked") { Instance = "web-1" },
            new Suppression("GI4001", "loopback TCP measured, no difference here") { SourceContains = "nginx.conf" });
        analyzer.Configuration.Parameters.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["GI3001.p95-limit"] = "1.5s",
            ["GI2001.min-share"] = "10",
        });
    }

    [Fact]
    public void Section_settings_take_effect_in_a_real_analysis_of_the_bundled_incident()
    {
        var configuration = Incident.Configuration(
            ("GunicornInsights:Rules:GI1001", "critical"),
            ("GunicornInsights:Suppressions:0:Rule", "GI4001"),
            ("GunicornInsights:Suppressions:0:Justification", "loopback TCP measured, no difference here"),
            ("GunicornInsights:Suppressions:0:Instance", "web-1"));
        using var services = Incident.Services(configuration);

        var result = services.GetRequiredService<DeploymentAnalyzer>().Analyze(Incident.Web1Observations);

        result.Diagnoses.Where(d => d.Severity == Diagnostics.Severity.Critical).Select(d => d.Id)
            .Should().BeEquivalentTo("GI1001", "GI1002", "GI1004");
        result.SuppressedDiagnoses.Should().ContainSingle()
            .Which.Should().Match<Diagnostics.Diagnosis>(d => d.Id == "GI4001" && d.Instance == "web-1"
                && d.Suppression!.Justification == "loopback TCP measured, no difference here");
    }

    [Fact]
    public void Settings_made_in_code_win_over_the_section()
    {
        var configuration = Incident.Configuration(("GunicornInsights:Rules:GI1001", "critical"));
        using var services = new ServiceCollection()
            .AddGunicornInsights(configuration.GetSection("GunicornInsights"), options => options.SetSeverity("GI1001", ConfiguredSeverity.Info))
            .BuildServiceProvider();

        services.GetRequiredService<DeploymentAnalyzer>().Configuration.RuleSeverities["GI1001"].Should().Be(ConfiguredSeverity.Info);
    }

    [Theory]
    [InlineData("GunicornInsights:Rules:GI1001", "loud", "GunicornInsights:Rules:GI1001: unknown severity 'loud'; expected critical, warning, info or none")]
    [InlineData("GunicornInsights:Categories:Latency", "", "GunicornInsights:Categories:Latency: unknown severity ''; expected critical, warning, info or none")]
    [InlineData("GunicornInsights:Parameters:p95-limit", "2s", "GunicornInsights:Parameters:p95-limit: parameter 'p95-limit' must be written as ID.name, e.g. GI3001.p95-limit")]
    [InlineData("GunicornInsights:Rule:GI1001", "critical", "GunicornInsights:Rule: unknown key 'Rule'; expected 'Rules', 'Categories', 'Suppressions', 'Parameters', 'ConfigurationFile', 'IncludeBuiltInRules', 'LogDiagnoses'")]
    [InlineData("GunicornInsights:LogDiagnoses", "yes", "GunicornInsights:LogDiagnoses: expected true or false, found 'yes'")]
    public void An_invalid_value_is_refused_naming_its_key_path(string key, string value, string message)
    {
        using var services = Incident.Services(Incident.Configuration((key, value)));

        var resolve = () => services.GetRequiredService<DeploymentAnalyzer>();

        resolve.Should().Throw<InsightConfigurationException>().WithMessage(message);
    }

    [Fact]
    public void A_suppression_without_a_justification_is_refused_naming_its_path()
    {
        using var services = Incident.Services(Incident.Configuration(
            ("GunicornInsights:Suppressions:0:Rule", "GI2003"),
            ("GunicornInsights:Suppressions:1:Rule", "GI1002"),
            ("GunicornInsights:Suppressions:0:Justification", "batch host")));

        var resolve = () => services.GetRequiredService<DeploymentAnalyzer>();

        resolve.Should().Throw<InsightConfigurationException>()
            .WithMessage("GunicornInsights:Suppressions:1: the suppression of GI1002 needs a 'justification': say why it does not apply");
    }

    [Fact]
    public void A_suppression_with_an_unknown_key_is_refused_naming_the_key()
    {
        using var services = Incident.Services(Incident.Configuration(
            ("GunicornInsights:Suppressions:0:Rule", "GI2003"),
            ("GunicornInsights:Suppressions:0:Reason", "batch host")));

        var resolve = () => services.GetRequiredService<DeploymentAnalyzer>();

        resolve.Should().Throw<InsightConfigurationException>()
            .WithMessage("GunicornInsights:Suppressions:0:Reason: unknown suppression key 'Reason'; expected 'rule', 'justification', 'instance' or 'source'");
    }

    [Fact]
    public void An_unknown_parameter_is_refused_when_the_first_analysis_starts_naming_the_rules_parameters()
    {
        using var services = Incident.Services(Incident.Configuration(("GunicornInsights:Parameters:GI3001.p95-limt", "1.5s")));
        var analyzer = services.GetRequiredService<DeploymentAnalyzer>();

        var analyze = () => analyzer.Analyze(Incident.HealthyObservations);

        analyze.Should().Throw<InsightConfigurationException>()
            .WithMessage("Parameter 'GI3001.p95-limt': GI3001 has the parameters p95-limit, min-requests.");
    }
}
