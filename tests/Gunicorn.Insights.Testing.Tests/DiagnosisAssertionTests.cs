using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Testing.Tests;

public sealed class DiagnosisAssertionTests
{
    private const string Shown =
        "\nThe diagnosis:\n"
        + "  APP1001 warning: 2 WORKER TIMEOUT line(s) for pid(s) 7685, 7690\n"
        + "    at error.log:17: WorkerTimeout × 2 (pids 7685, 7690): [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)";

    private static readonly RuleRun Run = Hosts.Fixture.Given(Logs.Timeouts(17, null, 7685, 7690)).Run();

    private static DiagnosisAssertion Timeouts() => Run.Expect("APP1001").FiresOnce();

    private static string FailureOf(Action assertion) =>
        assertion.Should().Throw<RuleAssertionException>().Which.Message;

    [Fact]
    public void Severity_passes_when_equal_and_fails_naming_both()
    {
        Timeouts().WithSeverity(Severity.Warning);

        FailureOf(() => Timeouts().WithSeverity(Severity.Critical)).Should().Be("Expected APP1001 to be critical, but it is warning." + Shown);
    }

    [Fact]
    public void Message_passes_when_identical_and_fails_quoting_both()
    {
        Timeouts().WithMessage("2 WORKER TIMEOUT line(s) for pid(s) 7685, 7690");

        FailureOf(() => Timeouts().WithMessage("2 WORKER TIMEOUT line(s)")).Should().Be(
            "Expected APP1001 to have the message\n  \"2 WORKER TIMEOUT line(s)\"\nbut it has\n  \"2 WORKER TIMEOUT line(s) for pid(s) 7685, 7690\"" + Shown);
    }

    [Fact]
    public void Message_fragments_pass_when_all_are_present_and_fail_naming_the_missing_one()
    {
        Timeouts().WithMessageContaining("2 WORKER TIMEOUT", "7690");

        FailureOf(() => Timeouts().WithMessageContaining("7685", "SIGKILL")).Should().Be(
            "Expected APP1001 to have a message containing \"SIGKILL\", but it is\n  \"2 WORKER TIMEOUT line(s) for pid(s) 7685, 7690\"" + Shown);
    }

    [Fact]
    public void Evidence_locations_pass_when_present_and_fail_listing_the_evidence()
    {
        Timeouts().WithEvidenceAt("error.log:17");

        FailureOf(() => Timeouts().WithEvidenceAt("error.log:17", "gunicorn.conf.py:3")).Should().Be(
            "Expected APP1001 to have evidence at gunicorn.conf.py:3, but its evidence is:\n"
            + "  error.log:17: WorkerTimeout × 2 (pids 7685, 7690): [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)" + Shown);
    }

    [Fact]
    public void Exact_evidence_passes_for_the_same_locations_and_fails_for_more()
    {
        Timeouts().WithEvidenceExactlyAt("error.log:17");

        FailureOf(() => Timeouts().WithEvidenceExactlyAt("error.log:17", "error.log:18")).Should().StartWith(
            "Expected APP1001 to have evidence at exactly error.log:17, error.log:18, but its evidence is:\n  error.log:17: ");
    }

    [Fact]
    public void Evidence_text_passes_when_a_piece_contains_it_and_fails_otherwise()
    {
        Timeouts().WithEvidenceContaining("WORKER TIMEOUT (pid:7685)");

        FailureOf(() => Timeouts().WithEvidenceContaining("SIGKILL")).Should().StartWith(
            "Expected APP1001 to have evidence containing \"SIGKILL\", but its evidence is:\n  error.log:17: ");
    }

    [Fact]
    public void Instance_passes_when_equal_and_fails_naming_both()
    {
        Timeouts().AboutInstance(null);

        FailureOf(() => Timeouts().AboutInstance("web-1")).Should().Be("Expected APP1001 to be about instance web-1, but it is about (none)." + Shown);
    }
}
