using System.Text.Json;

namespace Gunicorn.Insights.Cli.Tests.Examples;

/// <summary>
/// Every example bundle under docs/examples, analysed by the command line as a newcomer runs it, yields exactly what
/// its README promises and reads without input problems, so the examples cannot drift from the tool's behaviour.
/// </summary>
public sealed class ExampleBundleTests
{
    public static TheoryData<string> Bundles() => new(ExampleBundle.Names());

    private static JsonElement Analyze(string name) =>
        JsonDocument.Parse(CliRun.Of("analyze", CliRun.Example(name), "--format", "json", "--instance", "web-1").Output).RootElement;

    private static IEnumerable<string> Rows(JsonElement report) =>
        report.GetProperty("diagnostics").EnumerateArray().Select(d => $"{d.GetProperty("id").GetString()} {d.GetProperty("severity").GetString()}");

    [Theory]
    [MemberData(nameof(Bundles))]
    public void A_bundle_reads_without_input_problems(string name)
    {
        var report = Analyze(name);

        report.GetProperty("inputErrors").EnumerateArray().Should().BeEmpty();
        report.GetProperty("inputs").EnumerateArray().Should().NotBeEmpty().And.OnlyContain(i => i.GetProperty("lines").GetInt64() > 0);
    }

    [Theory]
    [MemberData(nameof(Bundles))]
    public void A_bundle_yields_exactly_the_diagnoses_its_readme_lists(string name)
    {
        Rows(Analyze(name)).Should().BeEquivalentTo(ExampleBundle.Named(name).ExpectedDiagnoses);
    }

    [Theory]
    [MemberData(nameof(Bundles))]
    public void The_text_report_of_a_bundle_heads_each_diagnosis_as_its_readme_lists_them(string name)
    {
        var run = CliRun.Of("analyze", CliRun.Example(name));

        var headers = run.Output.Split('\n').Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^GI\d{4} (critical|warning|info): "))
            .Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]);
        headers.Should().BeEquivalentTo(ExampleBundle.Named(name).ExpectedDiagnoses);
        run.ExitCode.Should().Be(ExampleBundle.Named(name).ExpectedDiagnoses.Any(d => !d.EndsWith(" info", StringComparison.Ordinal)) ? 1 : 0);
    }

    [Theory]
    [MemberData(nameof(Bundles))]
    public void A_bundle_yields_exactly_the_recommendations_its_readme_lists(string name)
    {
        Analyze(name).GetProperty("recommendations").EnumerateArray().Select(r => r.GetProperty("summary").GetString())
            .Should().BeEquivalentTo(ExampleBundle.Named(name).ExpectedRecommendations);
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
        Rows(Analyze(name)).Should().Contain(diagnosis);
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
        Rows(Analyze("nginx-tcp-vs-unix")).Should().Equal("GI4001 critical");
        Rows(Analyze("nginx-unix-socket")).Should().BeEmpty();
    }

    [Fact]
    public void The_heroku_timeout_cannot_satisfy_both_the_worker_timeout_and_the_router_deadline()
    {
        var timeout = Analyze("heroku-h12").GetProperty("recommendations").EnumerateArray()
            .Should().ContainSingle(r => r.GetProperty("setting").GetString() == "timeout").Subject;

        timeout.GetProperty("conflict").GetBoolean().Should().BeTrue();
        timeout.GetProperty("rules").EnumerateArray().Select(r => r.GetString()).Should().Equal("GI1002", "GI5001");
    }

    [Fact]
    public void The_healthy_bundle_is_read_in_full_and_exits_0_with_no_diagnosis()
    {
        var report = Analyze("healthy");
        var run = CliRun.Of("analyze", CliRun.Example("healthy"), "--fail-on", "info");

        report.GetProperty("inputs").EnumerateArray().Select(i => (Path.GetFileName(i.GetProperty("path").GetString()), i.GetProperty("kind").GetString()))
            .Should().BeEquivalentTo(
            [
                ("access.log", "gunicorn-access-log"), ("df-T.txt", "host-tools"), ("error.log", "gunicorn-error-log"),
                ("gunicorn.conf.py", "gunicorn-config"), ("nginx-shop.conf", "nginx-config"), ("nproc.txt", "host-tools"),
            ]);
        report.GetProperty("checks").EnumerateArray().Should().Contain(c => c.GetProperty("outcome").GetString() == "passed");
        run.ExitCode.Should().Be(0);
        run.Output.TrimEnd().Split('\n')[^1].Should().StartWith("No diagnoses: ").And.EndWith("rule(s) checked the evidence and found nothing wrong.");
    }
}
