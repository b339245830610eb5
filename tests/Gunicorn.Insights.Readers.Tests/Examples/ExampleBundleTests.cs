using Gunicorn.Insights.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Gunicorn.Insights.Readers.Tests.Examples;

/// <summary>
/// Every example bundle under docs/examples, read with the built-in readers and analysed with the built-in rules as
/// the HostApp does (instance "web-1"), yields exactly what its README promises and reads without input problems, so
/// the examples a newcomer runs cannot drift from the library's behaviour.
/// </summary>
public sealed class ExampleBundleTests
{
    // Compiled once for every test, as a host shares it.
    private static readonly ServiceProvider Services = new ServiceCollection().AddGunicornInsights().BuildServiceProvider();

    public static TheoryData<string> Bundles() => new(ExampleBundle.Names());

    private static (ReadResult Read, AnalysisResult Analysis) Analyze(string name)
    {
        var read = BuiltInReaders.Create().Read([new ArtifactRequest(ExampleBundle.Named(name).Folder) { Instance = "web-1" }]);
        return (read, Services.GetRequiredService<DeploymentAnalyzer>().Analyze(read.Observations));
    }

    private static string Row(Diagnosis diagnosis) => $"{diagnosis.Id} {diagnosis.Severity.ToString().ToLowerInvariant()}";

    [Theory]
    [MemberData(nameof(Bundles))]
    public void A_bundle_reads_without_input_problems(string name)
    {
        var (read, _) = Analyze(name);

        read.Problems.Should().BeEmpty();
        read.Inputs.Should().NotBeEmpty().And.OnlyContain(i => i.Lines > 0);
    }

    [Theory]
    [MemberData(nameof(Bundles))]
    public void A_bundle_yields_exactly_the_diagnoses_its_readme_lists(string name)
    {
        var (_, analysis) = Analyze(name);

        analysis.Diagnoses.Select(Row).Should().BeEquivalentTo(ExampleBundle.Named(name).ExpectedDiagnoses);
    }

    [Theory]
    [MemberData(nameof(Bundles))]
    public void A_bundle_yields_exactly_the_recommendations_its_readme_lists(string name)
    {
        var (_, analysis) = Analyze(name);

        analysis.Recommendations.Select(r => r.Summary).Should().BeEquivalentTo(ExampleBundle.Named(name).ExpectedRecommendations);
    }

    [Theory]
    [MemberData(nameof(Bundles))]
    public void A_bundle_has_a_section_in_the_examples_readme(string name)
    {
        File.ReadAllLines(Path.Combine(ExampleBundle.ExamplesFolder, "README.md")).Should().Contain(l => l.StartsWith($"## {name}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("incident-web-1", "GI1002 critical")]
    [InlineData("worker-timeout", "GI1004 critical")]
    [InlineData("nginx-tcp-vs-unix", "GI4001 critical")]
    [InlineData("docker-overlay-tmp", "GI1005 critical")]
    [InlineData("heroku-h12", "GI5001 warning")]
    public void A_bundle_shows_the_problem_it_was_built_for(string name, string diagnosis)
    {
        Analyze(name).Analysis.Diagnoses.Select(Row).Should().Contain(diagnosis);
    }

    [Fact]
    public void The_examples_are_the_documented_bundles()
    {
        ExampleBundle.Names().Should().Equal(
            "docker-overlay-tmp", "healthy", "heroku-h12", "incident-web-1", "nginx-tcp-vs-unix", "nginx-unix-socket", "worker-timeout");
    }

    [Fact]
    public void The_unix_socket_variant_of_the_nginx_setup_has_no_tcp_diagnosis()
    {
        var tcp = Analyze("nginx-tcp-vs-unix").Analysis.Diagnoses.Select(d => d.Id);
        var unix = Analyze("nginx-unix-socket").Analysis.Diagnoses.Select(d => d.Id);

        tcp.Should().Equal("GI4001");
        unix.Should().BeEmpty();
    }

    [Fact]
    public void The_heroku_timeout_cannot_satisfy_both_the_worker_timeout_and_the_router_deadline()
    {
        var timeout = Analyze("heroku-h12").Analysis.Recommendations.Should().ContainSingle(r => r.Setting == "timeout").Subject;

        timeout.IsConflict.Should().BeTrue();
        timeout.Sources.Select(s => s.RuleId).Should().Equal("GI1002", "GI5001");
    }

    [Fact]
    public void The_healthy_bundle_is_read_in_full_and_has_no_warning_or_critical_diagnosis()
    {
        var (read, analysis) = Analyze("healthy");

        read.Inputs.Select(i => (Path.GetFileName(i.Path), i.Kind)).Should().BeEquivalentTo(
        [
            ("access.log", ArtifactKind.GunicornAccessLog), ("df-T.txt", ArtifactKind.HostTools), ("error.log", ArtifactKind.GunicornErrorLog),
            ("gunicorn.conf.py", ArtifactKind.GunicornConfig), ("nginx-shop.conf", ArtifactKind.NginxConfig), ("nproc.txt", ArtifactKind.HostTools),
        ]);
        analysis.Diagnoses.Should().NotContain(d => d.Severity >= Severity.Warning);
        analysis.Checks.Should().NotBeEmpty();
    }
}
