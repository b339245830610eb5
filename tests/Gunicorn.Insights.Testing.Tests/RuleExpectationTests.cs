namespace Gunicorn.Insights.Testing.Tests;

public sealed class RuleExpectationTests
{
    private const string SigkillListing =
        "  APP1002 critical: 1 SIGKILL line(s) for pid(s) 7711\n"
        + "    at error.log:40: WorkerSigkill × 1 (pids 7711): [7657] [ERROR] Worker (pid:7711) was sent SIGKILL! Perhaps out of memory?";

    [Fact]
    public void Fires_once_passes_for_a_single_diagnosis_and_returns_it()
    {
        var assertion = Hosts.Fixture.Given(Logs.Timeouts(17, null, 7685, 7690)).Expect("APP1001").FiresOnce();

        assertion.Diagnosis.Message.Should().Be("2 WORKER TIMEOUT line(s) for pid(s) 7685, 7690");
    }

    [Fact]
    public void Fires_once_fails_when_the_rule_did_not_fire_and_lists_what_did_with_evidence()
    {
        var act = () => Hosts.Fixture.Given(Logs.Sigkill(40, 7711)).Expect("APP1001").FiresOnce();

        act.Should().Throw<RuleAssertionException>().Which.Message.Should().Be(
            "Expected APP1001 to fire once, but it fired 0 times.\nFired (1):\n" + SigkillListing);
    }

    [Fact]
    public void Fires_once_fails_on_an_empty_run_and_says_nothing_fired()
    {
        var act = () => Hosts.Fixture.Scenario().Expect("APP1001").FiresOnce();

        act.Should().Throw<RuleAssertionException>().Which.Message.Should().Be("Expected APP1001 to fire once, but it fired 0 times.\nNothing fired.");
    }

    [Fact]
    public void Fires_n_times_returns_the_diagnoses_in_report_order()
    {
        var fired = Hosts.Fixture.Given(Logs.Timeouts(30, "web-2", 8100), Logs.Timeouts(17, "web-1", 7685)).Expect("APP1001").Fires(2);

        fired.Select(f => f.Diagnosis.Instance).Should().Equal("web-1", "web-2");
        fired[1].WithEvidenceExactlyAt("error.log:30");
    }

    [Fact]
    public void Fires_n_times_fails_on_another_count_and_lists_every_diagnosis_with_its_instance()
    {
        var act = () => Hosts.Fixture.Given(Logs.Timeouts(17, "web-1", 7685), Logs.Timeouts(30, "web-2", 8100)).Expect("APP1001").Fires(3);

        act.Should().Throw<RuleAssertionException>().Which.Message.Should().Be(
            "Expected APP1001 to fire 3 times, but it fired 2 times.\nFired (2):\n"
            + "  APP1001 warning: 1 WORKER TIMEOUT line(s) for pid(s) 7685 [web-1]\n"
            + "    at error.log:17: WorkerTimeout × 1 (pids 7685): [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)\n"
            + "  APP1001 warning: 1 WORKER TIMEOUT line(s) for pid(s) 8100 [web-2]\n"
            + "    at error.log:30: WorkerTimeout × 1 (pids 8100): [7657] [CRITICAL] WORKER TIMEOUT (pid:8100)");
    }

    [Fact]
    public void Is_silent_passes_when_only_other_rules_fired_and_returns_the_run()
    {
        var run = Hosts.Fixture.Given(Logs.Sigkill(40, 7711)).Expect("APP1001").IsSilent();

        run.Diagnoses.Select(d => d.Id).Should().Equal("APP1002");
    }

    [Fact]
    public void Is_silent_fails_when_the_rule_fired_and_shows_the_diagnosis()
    {
        var act = () => Hosts.Fixture.Given(Logs.Timeouts(17, null, 7685), Logs.Sigkill(40, 7711)).Expect("APP1001").IsSilent();

        act.Should().Throw<RuleAssertionException>().Which.Message.Should().Be(
            "Expected APP1001 to stay silent, but it fired once.\nFired (2):\n"
            + SigkillListing + "\n"
            + "  APP1001 warning: 1 WORKER TIMEOUT line(s) for pid(s) 7685\n"
            + "    at error.log:17: WorkerTimeout × 1 (pids 7685): [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)");
    }

    [Fact]
    public void For_instance_counts_only_that_instances_diagnoses()
    {
        var run = Hosts.Fixture.Given(Logs.Timeouts(17, "web-1", 7685), Logs.Timeouts(30, "web-2", 8100)).Run();

        run.Expect("APP1001").ForInstance("web-2").FiresOnce().WithEvidenceAt("error.log:30");
        var act = () => run.Expect("APP1001").ForInstance("web-3").FiresOnce();
        act.Should().Throw<RuleAssertionException>().Which.Message.Should().StartWith("Expected APP1001 for web-3 to fire once, but it fired 0 times.\nFired (2):\n");
    }
}
