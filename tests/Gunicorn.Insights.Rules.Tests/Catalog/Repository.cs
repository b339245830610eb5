namespace Gunicorn.Insights.Rules.Tests.Catalog;

/// <summary>Finds files of the repository and the seed lists copied beside the tests.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static IReadOnlyList<string> SeedLines(string file) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Catalog", "Seed", file)).Where(l => l.Length > 0).ToArray();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gunicorn.Insights.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests must run inside the repository.");
    }
}
