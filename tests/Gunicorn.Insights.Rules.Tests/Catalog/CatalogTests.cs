using System.Text.RegularExpressions;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;

namespace Gunicorn.Insights.Rules.Tests.Catalog;

/// <summary>The catalog's meta-rules, in the spirit of Roslyn's analyzer release tracking and descriptor checks.</summary>
public sealed partial class CatalogTests
{
    private static readonly IReadOnlyList<InsightDescriptor> Descriptors = RuleDescriptors.All;

    private static IEnumerable<InsightDescriptor> WithEngine => Descriptors.Concat(EngineDescriptors.All);

    [Fact]
    public void Ids_are_well_formed_unique_and_in_their_categorys_range()
    {
        Descriptors.Select(d => d.Id).Should().OnlyHaveUniqueItems();
        foreach (var descriptor in Descriptors)
        {
            IdPattern().IsMatch(descriptor.Id).Should().BeTrue($"{descriptor.Id} must be GI and four digits");
            InsightCategory.All.Should().Contain(descriptor.Category);
            var number = int.Parse(descriptor.Id[2..]);
            var start = InsightCategory.RangeStart(descriptor.Category);
            number.Should().BeInRange(start, start + 998, $"{descriptor.Id} belongs to {descriptor.Category}");
        }
    }

    [Fact]
    public void Every_descriptor_is_complete()
    {
        foreach (var descriptor in Descriptors)
        {
            descriptor.Title.Should().NotEndWith(".", descriptor.Id);
            descriptor.Description.Should().NotBeNullOrWhiteSpace(descriptor.Id);
            descriptor.References.Should().NotBeEmpty(descriptor.Id);
            descriptor.Remediation.Should().NotBeEmpty(descriptor.Id);
            descriptor.Insights.Should().NotBeEmpty(descriptor.Id);
            descriptor.HelpLinkUri!.ToString().Should().Be($"{InsightDescriptor.HelpBase}{descriptor.Id}.md");
        }
    }

    [Fact]
    public void Every_message_format_names_its_arguments_by_consecutive_indexes()
    {
        foreach (var descriptor in WithEngine)
        {
            var indexes = PlaceholderPattern().Matches(descriptor.MessageFormat).Select(m => int.Parse(m.Groups[1].Value)).Distinct().Order().ToArray();
            indexes.Should().NotBeEmpty($"{descriptor.Id} must name its evidence values");
            indexes.Should().Equal(Enumerable.Range(0, indexes.Length), $"{descriptor.Id} uses {{0}} to {{{indexes.Length - 1}}}");
            var format = () => DiagnosisMessage.Format(descriptor.MessageFormat, indexes.Select(i => (object?)i).ToArray());
            format.Should().NotThrow(descriptor.Id);
        }
    }

    [Fact]
    public void Every_descriptor_is_reported_by_a_rule_of_the_pack_and_every_reported_descriptor_is_in_the_catalog()
    {
        var reported = BuiltInRules.Factory.Descriptors.Where(d => d.Category != InsightCategory.Engine).Select(d => d.Id);

        reported.Should().BeEquivalentTo(Descriptors.Select(d => d.Id));
    }

    [Fact]
    public void Every_rule_that_reports_has_a_test_class_named_after_it()
    {
        var testClasses = typeof(CatalogTests).Assembly.GetTypes().Select(t => t.Name).ToHashSet();
        var rules = typeof(RuleDescriptors).Assembly.GetExportedTypes().Where(t => typeof(Rule).IsAssignableFrom(t) && !t.IsAbstract)
            .Where(t => t.Namespace != "Gunicorn.Insights.Rules.Derivations");

        rules.Select(r => r.Name + "Tests").Should().BeSubsetOf(testClasses);
    }

    [Fact]
    public void Every_seed_insight_is_covered_verbatim_with_its_severity()
    {
        var seed = Repository.SeedLines("insights.tsv").Select(l => l.Split('\t')).ToDictionary(p => p[1], p => p[0]);

        Descriptors.SelectMany(d => d.Insights).Should().BeSubsetOf(seed.Keys, "insight titles are copied verbatim");
        seed.Keys.Should().BeSubsetOf(Descriptors.SelectMany(d => d.Insights), "every insight becomes a rule");
        foreach (var descriptor in Descriptors)
        {
            var highest = descriptor.Insights.Select(i => Enum.Parse<Severity>(seed[i], ignoreCase: true)).Max();
            descriptor.DefaultSeverity.Should().Be(highest, $"{descriptor.Id} follows the seed's severity of the insights it covers");
        }
    }

    [Fact]
    public void Every_seed_configuration_parameter_is_used_as_evidence_or_remediation()
    {
        var used = Descriptors.SelectMany(d => d.References.Concat(d.Remediation.Select(r => r.Setting).OfType<string>())).ToHashSet();

        Repository.SeedLines("parameters.tsv").Select(l => l.Split('\t')[0]).Should().BeSubsetOf(used);
    }

    [Fact]
    public void Every_seed_error_signature_is_read_by_a_rule()
    {
        Repository.SeedLines("signatures.txt").Should().BeSubsetOf(Descriptors.SelectMany(d => d.Signatures));
    }

    [Fact]
    public void Every_seed_command_is_offered_by_a_rule()
    {
        var commands = Descriptors.SelectMany(d => d.Remediation).Select(r => r.Command).OfType<string>().Select(Words).ToArray();

        foreach (var seedCommand in Repository.SeedLines("commands.txt"))
        {
            commands.Should().Contain(c => Words(seedCommand).All(c.Contains), $"'{seedCommand}' must be a remediation or diagnostic command");
        }
    }

    [Fact]
    public void Every_rule_has_a_docs_page_and_every_page_has_a_rule()
    {
        var pages = Directory.GetFiles(Repository.PathOf("docs", "rules"), "GI*.md").Select(Path.GetFileNameWithoutExtension);

        pages.Should().BeEquivalentTo(WithEngine.Select(d => d.Id));
    }

    [Fact]
    public void Every_docs_page_has_the_sections_a_reader_needs_and_names_its_title()
    {
        string[] sections = ["## What it detects", "## Evidence it needs", "## Why it matters", "## How to fix it", "## Configure or suppress", "## Example"];
        foreach (var descriptor in WithEngine)
        {
            var page = File.ReadAllText(Repository.PathOf("docs", "rules", descriptor.Id + ".md"));
            page.Should().StartWith($"# {descriptor.Id}: {descriptor.Title}\n");
            foreach (var section in sections)
            {
                page.Should().Contain(section, $"{descriptor.Id}.md needs '{section}'");
            }
        }
    }

    [Fact]
    public void The_catalog_table_lists_every_rule_as_it_is()
    {
        var table = File.ReadAllLines(Repository.PathOf("docs", "rules", "README.md")).Where(l => l.StartsWith("| [GI", StringComparison.Ordinal)).ToArray();

        table.Should().HaveCount(WithEngine.Count());
        foreach (var descriptor in WithEngine)
        {
            var insights = descriptor.Insights.Count == 0 ? "—" : string.Join("; ", descriptor.Insights);
            table.Should().Contain(
                $"| [{descriptor.Id}]({descriptor.Id}.md) | {descriptor.Title} | {descriptor.Category} | {descriptor.DefaultSeverity.ToString().ToLowerInvariant()} | {insights} |");
        }
    }

    [Fact]
    public void Every_id_is_tracked_once_in_the_release_lists()
    {
        var tracked = new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" }
            .SelectMany(f => File.ReadAllLines(Repository.PathOf("rules", "Gunicorn.Insights.Rules", f)))
            .Where(l => l.StartsWith("GI", StringComparison.Ordinal))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .ToArray();

        tracked.Select(r => r[0]).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(WithEngine.Select(d => d.Id));
        foreach (var descriptor in WithEngine)
        {
            var row = tracked.Single(r => r[0] == descriptor.Id);
            row[1].Should().Be(descriptor.Category, descriptor.Id);
            row[2].Should().Be(descriptor.DefaultSeverity.ToString(), descriptor.Id);
        }
    }

    private static string[] Words(string command) => command.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex("^GI[0-9]{4}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"(?<!\{)\{([0-9]+)(?:[,:][^}]*)?\}")]
    private static partial Regex PlaceholderPattern();
}
