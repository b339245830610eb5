using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Testing.Tests;

public sealed class ArtifactSnippetTests
{
    private const string ErrorLog =
        "[2026-11-23 23:45:22 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)\n"
        + "[2026-11-23 23:45:23 +0000] [7657] [INFO] Booting worker with pid: 7701\n"
        + "[2026-11-23 23:47:02 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7690)\n";

    [Fact]
    public void An_error_log_snippet_is_read_by_the_built_in_readers_with_its_name_as_the_location()
    {
        Hosts.Fixture.GivenArtifact("error.log", ErrorLog)
            .Run()
            .ExpectNoReadProblems()
            .Expect("APP1001").FiresOnce()
            .WithMessage("2 WORKER TIMEOUT line(s) for pid(s) 7685, 7690")
            .WithEvidenceExactlyAt("error.log:1");
    }

    [Fact]
    public void A_snippet_with_a_name_the_readers_do_not_know_is_read_as_the_kind_given()
    {
        Hosts.Fixture.GivenArtifact("worker.out", ErrorLog, ArtifactKind.GunicornErrorLog, instance: "web-1")
            .Expect("APP1001").FiresOnce()
            .AboutInstance("web-1")
            .WithEvidenceAt("worker.out:1");
    }

    [Fact]
    public void A_snippet_of_no_known_kind_is_refused_by_name()
    {
        var act = () => Hosts.Fixture.GivenArtifact("notes.txt", "remember to rotate the logs\n").Run();

        act.Should().Throw<InvalidOperationException>().WithMessage("The snippet notes.txt is not recognised as any artifact the readers read; give its kind.");
    }

    [Fact]
    public void Read_problems_fail_the_expectation_of_a_clean_read_and_are_listed()
    {
        var run = Hosts.Fixture.GivenArtifact("gunicorn.conf.py", "from settings import *\ntimeout = 60\n").Run();

        var act = () => run.ExpectNoReadProblems();

        act.Should().Throw<RuleAssertionException>().Which.Message.Should().StartWith(
            "Expected the artifact snippets to read without problems, but the readers reported 1:\n"
            + "  gunicorn.conf.py:1: warning: 'from settings import *' may bring settings");
        run.Describe().Should().StartWith("Nothing fired.\nRead problems (1):\n  gunicorn.conf.py:1: warning: ");
    }
}
