namespace Gunicorn.Insights.Cli.Reports;

/// <summary>The rules' documentation pages (docs/rules/ID.md), carried inside the tool.</summary>
internal static class RulePages
{
    /// <summary>The Markdown page of <paramref name="id"/>; null when the tool carries none (a host's own rule).</summary>
    public static string? Find(string id)
    {
        using var stream = typeof(RulePages).Assembly.GetManifestResourceStream($"rules/{id.ToUpperInvariant()}.md");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
