using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Readers;
using Gunicorn.Insights.Rules;

namespace Gunicorn.Insights.Readers.Tests;

public sealed class ArtifactReadersTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("incident-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", "gunicorn", name);

    [Fact]
    public void A_folder_is_read_recursively_kinds_detected_and_unknown_files_reported()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "web-1"));
        File.Copy(Sample("error-23.log"), Path.Combine(_folder, "web-1", "error.log"));
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "the incident started at midnight\n");
        Directory.CreateDirectory(Path.Combine(_folder, ".git"));
        File.WriteAllText(Path.Combine(_folder, ".git", "HEAD"), "ref: refs/heads/main\n");

        var result = BuiltInReaders.Create().Read([new ArtifactRequest(_folder)]);

        result.Inputs.Should().ContainSingle().Which.Should().Match<InputSummary>(i =>
            i.Kind == ArtifactKind.GunicornErrorLog && i.Lines == 31 && i.Path.EndsWith("error.log"));
        result.Problems.Should().ContainSingle().Which.ToString().Should().Be(
            $"{Path.Combine(_folder, "notes.txt")}: warning: not recognised as any artifact Gunicorn.Insights reads; skipped (name its kind explicitly to read it)");
    }

    [Fact]
    public void A_folders_markdown_notes_are_skipped_quietly_but_a_markdown_file_named_on_its_own_is_reported()
    {
        File.Copy(Sample("error-23.log"), Path.Combine(_folder, "error.log"));
        var readme = Path.Combine(_folder, "README.md");
        File.WriteAllText(readme, "# web-1, 23 November\n\n| rule | severity |\n| --- | --- |\n| GI1001 | warning |\n");

        var folder = BuiltInReaders.Create().Read([new ArtifactRequest(_folder)]);
        var named = BuiltInReaders.Create().Read([new ArtifactRequest(readme)]);

        folder.Inputs.Select(i => Path.GetFileName(i.Path)).Should().Equal("error.log");
        folder.Problems.Should().BeEmpty();
        named.Problems.Should().ContainSingle().Which.Message.Should().StartWith("not recognised as any artifact");
    }

    [Fact]
    public void A_missing_path_is_an_input_error_and_the_other_inputs_are_still_read()
    {
        var result = BuiltInReaders.Create().Read([new ArtifactRequest(Path.Combine(_folder, "absent")), new ArtifactRequest(Sample("error-19.log"))]);

        result.Problems.Should().ContainSingle().Which.Message.Should().Be("no such file or folder");
        result.Inputs.Should().ContainSingle();
    }

    [Fact]
    public void The_built_in_rules_diagnose_worker_timeouts_from_a_real_format_error_log()
    {
        var observations = BuiltInReaders.Create().Read([new ArtifactRequest(Sample("error-23.log")) { Instance = "web-1" }]).Observations;
        var session = RuleSet.FromAssemblies(typeof(RuleDescriptors).Assembly).Compile().CreateSession();
        session.InsertAll(observations);

        session.Fire();

        var timeout = session.Diagnoses.Should().Contain(d => d.Id == "GI1001").Subject;
        timeout.Instance.Should().Be("web-1");
        timeout.Message.Should().Contain("2 WORKER TIMEOUT");
        timeout.Evidence.Select(e => e.Location.ToString()).Should().Contain(Sample("error-23.log") + ":15");
    }
}
