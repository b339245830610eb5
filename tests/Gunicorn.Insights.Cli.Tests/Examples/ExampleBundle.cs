namespace Gunicorn.Insights.Cli.Tests.Examples;

/// <summary>
/// One example bundle under <c>docs/examples</c> and what its README promises: the diagnoses (rule ID and severity)
/// from the rows of the table under "## Expected diagnoses", and the reconciled recommendations from the
/// back-quoted bullets under "## Recommended changes".
/// </summary>
public sealed class ExampleBundle
{
    private const string DiagnosesHeading = "## Expected diagnoses";
    private const string RecommendationsHeading = "## Recommended changes";
    private const string TableHeader = "| rule | severity | why |";

    private ExampleBundle(string name)
    {
        Name = name;
        Folder = Path.Combine(ExamplesFolder, name);
        var readme = File.ReadAllLines(Path.Combine(Folder, "README.md"));
        var diagnoses = Section(readme, DiagnosesHeading);
        if (!diagnoses.Any(l => l.Trim() == TableHeader))
        {
            throw new InvalidOperationException($"{name}/README.md has no '{TableHeader}' table under '{DiagnosesHeading}'.");
        }

        ExpectedDiagnoses = [.. diagnoses.Select(Cells).Where(c => c.Length >= 2 && RuleId(c[0]) is not null).Select(c => $"{RuleId(c[0])} {c[1]}")];
        ExpectedRecommendations = [.. Section(readme, RecommendationsHeading)
            .Where(l => l.StartsWith("- `", StringComparison.Ordinal) && l.EndsWith('`'))
            .Select(l => l[3..^1])];
    }

    /// <summary>The folder holding the examples, found by walking up to the solution file.</summary>
    public static string ExamplesFolder { get; } = FindExamples();

    /// <summary>The bundle's folder name.</summary>
    public string Name { get; }

    /// <summary>The bundle's folder.</summary>
    public string Folder { get; }

    /// <summary>The README's diagnoses as <c>ID severity</c>, one per row, in table order.</summary>
    public IReadOnlyList<string> ExpectedDiagnoses { get; }

    /// <summary>The README's reconciled recommendations, as the analysis summarises them.</summary>
    public IReadOnlyList<string> ExpectedRecommendations { get; }

    /// <summary>Every bundle: each folder under docs/examples except programs (a folder with a project file).</summary>
    public static IReadOnlyList<string> Names() =>
        [.. Directory.GetDirectories(ExamplesFolder)
            .Where(d => Directory.GetFiles(d, "*.csproj").Length == 0)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)];

    /// <summary>The bundle named <paramref name="name"/>, with its README read.</summary>
    public static ExampleBundle Named(string name) => new(name);

    private static string[] Section(string[] lines, string heading)
    {
        var start = Array.FindIndex(lines, l => l.Trim() == heading);
        if (start < 0)
        {
            return [];
        }

        var end = Array.FindIndex(lines, start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        return lines[(start + 1)..(end < 0 ? lines.Length : end)];
    }

    private static string[] Cells(string line)
    {
        var text = line.Trim();
        return text.StartsWith('|') ? [.. text.Trim('|').Split('|').Select(c => c.Trim())] : [];
    }

    /// <summary>The rule ID a table cell names, bare (<c>GI1002</c>) or as a link (<c>[GI1002](../../rules/GI1002.md)</c>).</summary>
    private static string? RuleId(string cell)
    {
        var text = cell.TrimStart('[');
        return text.Length >= 6 && text.StartsWith("GI", StringComparison.Ordinal) && text[2..6].All(char.IsAsciiDigit) ? text[..6] : null;
    }

    private static string FindExamples()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gunicorn.Insights.sln")))
            {
                return Path.Combine(directory.FullName, "docs", "examples");
            }
        }

        throw new InvalidOperationException("The tests must run inside the repository.");
    }
}
