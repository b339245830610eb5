using System.Text.RegularExpressions;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.ObservationFiles;

namespace Gunicorn.Insights.Readers.Tests.ObservationFiles;

/// <summary>Every JSON example in docs/observation-json.md is read without a single problem.</summary>
public sealed partial class ObservationJsonDocumentationTests
{
    [Fact]
    public void Every_documented_example_reads_without_problems()
    {
        var page = FindPage();
        var blocks = JsonBlock().Matches(File.ReadAllText(page)).Select(m => m.Groups[1].Value).ToArray();
        blocks.Should().HaveCountGreaterThan(10);

        foreach (var block in blocks)
        {
            // A whole document, or element examples (one element per line, continued on indented lines).
            var document = block.TrimStart().StartsWith("{\n", StringComparison.Ordinal)
                ? block
                : "{\"version\": 1, \"observations\": [\n" + string.Join(",\n", Elements(block)) + "\n]}";
            var context = new ReadContext("example.json");
            new ObservationJsonReader().Read(LineSource.FromText("example.json", document), context);

            context.Problems.Should().BeEmpty(block);
            context.Observations.Should().NotBeEmpty(block);
        }
    }

    private static IEnumerable<string> Elements(string block)
    {
        var current = "";
        foreach (var line in block.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('{') && current.Length > 0)
            {
                yield return current;
                current = "";
            }

            current += line + "\n";
        }

        if (current.Length > 0)
        {
            yield return current;
        }
    }

    private static string FindPage()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var page = Path.Combine(directory.FullName, "docs", "observation-json.md");
            if (File.Exists(page))
            {
                return page;
            }
        }

        throw new FileNotFoundException("docs/observation-json.md not found above the test output folder");
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
