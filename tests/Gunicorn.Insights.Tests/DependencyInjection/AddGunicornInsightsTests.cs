using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Tests.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace Gunicorn.Insights.Tests.DependencyInjection;

public sealed class AddGunicornInsightsTests
{
    private static LogSignature WorkerTimeouts() =>
        new(LogSignatureKind.WorkerTimeout, 2, [new LogExample(new SourceLocation("error.log", 9), "[CRITICAL] WORKER TIMEOUT (pid:7685)")])
        {
            Pids = [7685],
        };

    [Fact]
    public void The_analyzer_runs_the_built_in_rule_pack()
    {
        using var provider = new ServiceCollection().AddGunicornInsights().BuildServiceProvider();

        var result = provider.GetRequiredService<DeploymentAnalyzer>().Analyze([WorkerTimeouts()]);

        result.Diagnoses.Should().ContainSingle(d => d.Id == "GI1001").Which.Message.Should().StartWith("Gunicorn logged 2 WORKER TIMEOUT line(s)");
        result.HighestSeverity.Should().Be(Severity.Critical, "the default 30 s timeout killed workers (GI1002)");
    }

    [Fact]
    public void The_session_factory_is_compiled_once_and_shared()
    {
        using var provider = new ServiceCollection().AddGunicornInsights().BuildServiceProvider();

        provider.GetRequiredService<SessionFactory>().Should().BeSameAs(provider.GetRequiredService<SessionFactory>());
        provider.GetRequiredService<DeploymentAnalyzer>().SessionFactory.Should().BeSameAs(provider.GetRequiredService<SessionFactory>());
    }

    [Fact]
    public void A_host_adds_its_own_rule_assembly_beside_the_built_in_pack()
    {
        using var provider = new ServiceCollection()
            .AddGunicornInsights(options => options.AddRulesFromAssemblyContaining<AddGunicornInsightsTests>())
            .BuildServiceProvider();

        var result = provider.GetRequiredService<DeploymentAnalyzer>().Analyze([WorkerTimeouts(), new Server("big", 128)]);

        result.Diagnoses.Select(d => d.Id).Should().Contain(["GI1001", "TS1001"]);
    }

    [Fact]
    public void Without_the_built_in_pack_only_the_hosts_rules_run()
    {
        using var provider = new ServiceCollection()
            .AddGunicornInsights(options =>
            {
                options.IncludeBuiltInRules = false;
                options.AddRulesFromAssemblyContaining<AddGunicornInsightsTests>();
            })
            .BuildServiceProvider();

        provider.GetRequiredService<SessionFactory>().Descriptors.Select(d => d.Id).Should().Equal("GI0001", "GI0002", "GI0003", "TS1001");
    }

    [Fact]
    public void Severities_and_suppressions_configured_in_code_apply_to_diagnoses()
    {
        using var provider = new ServiceCollection()
            .AddGunicornInsights(options => options
                .SetSeverity("GI1001", ConfiguredSeverity.Critical)
                .Suppress("GI1001", "the batch host is expected to time out", instance: "batch-1"))
            .BuildServiceProvider();
        var analyzer = provider.GetRequiredService<DeploymentAnalyzer>();

        var result = analyzer.Analyze([WorkerTimeouts(), WorkerTimeouts() with { Instance = "batch-1" }]);

        result.Diagnoses.Should().ContainSingle(d => d.Id == "GI1001").Which.Should().Match<Diagnosis>(d => d.Severity == Severity.Critical && d.Instance == null);
        result.SuppressedDiagnoses.Should().ContainSingle(d => d.Id == "GI1001").Which.Should().Match<Diagnosis>(d =>
            d.Instance == "batch-1" && d.Suppression!.Justification == "the batch host is expected to time out");
    }

    [Fact]
    public void A_configuration_file_is_applied_and_settings_made_in_code_win_over_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gunicorn-insights-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "rules": { "GI1001": "info" }, "categories": { "WorkerLifecycle": "none" } }""");
        try
        {
            using var provider = new ServiceCollection()
                .AddGunicornInsights(options =>
                {
                    options.ConfigurationFile = path;
                    options.SetSeverity("GI1001", ConfiguredSeverity.Warning);
                })
                .BuildServiceProvider();

            var configuration = provider.GetRequiredService<InsightConfiguration>();

            configuration.RuleSeverities["GI1001"].Should().Be(ConfiguredSeverity.Warning);
            configuration.CategorySeverities["WorkerLifecycle"].Should().Be(ConfiguredSeverity.None);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
