using System.Text.RegularExpressions;
using Gunicorn.Insights.Cli.Terminal;

namespace Gunicorn.Insights.Cli.Reports;

/// <summary>
/// A Markdown page made readable in a terminal: headings stand out, emphasis markers and relative links go, absolute
/// links keep their address, tables and code stay as written.
/// </summary>
internal static partial class MarkdownPage
{
    public static void Write(TextWriter output, string markdown, Palette palette)
    {
        var inCode = false;
        foreach (var raw in markdown.ReplaceLineEndings("\n").Split('\n'))
        {
            if (raw.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }

            if (inCode)
            {
                output.WriteLine("    " + raw);
                continue;
            }

            var heading = Heading().Match(raw);
            if (heading.Success)
            {
                var text = Inline(heading.Groups[2].Value);
                output.WriteLine(palette.Bold(heading.Groups[1].Length == 1 ? text : text.ToUpperInvariant()));
                continue;
            }

            output.WriteLine(Inline(raw));
        }
    }

    private static string Inline(string line)
    {
        line = Link().Replace(line, m => m.Groups[2].Value.StartsWith("http", StringComparison.Ordinal)
            ? $"{m.Groups[1].Value} ({m.Groups[2].Value})"
            : m.Groups[1].Value);
        return Strong().Replace(line, "$1");
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Heading();

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex Link();

    [GeneratedRegex(@"\*\*([^*]+)\*\*", RegexOptions.CultureInvariant)]
    private static partial Regex Strong();
}
