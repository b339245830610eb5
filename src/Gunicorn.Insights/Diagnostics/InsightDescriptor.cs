using System.Text.RegularExpressions;

namespace Gunicorn.Insights.Diagnostics;

/// <summary>
/// Describes one kind of diagnosis, as a Roslyn <c>DiagnosticDescriptor</c> does: a stable ID that is never reused,
/// a title, a message format naming the evidence values, a category, a default severity and a help link, plus the
/// references and remediation a person needs to act on it.
/// </summary>
public sealed partial class InsightDescriptor
{
    /// <summary>Where the built-in rules' pages live; a rule's page is <c>{HelpBase}{Id}.md</c>.</summary>
    public const string HelpBase = "https://github.com/gunicorn-insights/gunicorn-insights/blob/main/docs/rules/";

    /// <summary>The prefix of the built-in rule IDs.</summary>
    public const string BuiltInPrefix = "GI";

    /// <summary>Creates a descriptor.</summary>
    /// <param name="id">A stable ID: letters then digits, e.g. <c>GI1001</c>.</param>
    /// <param name="title">A short title.</param>
    /// <param name="messageFormat">A composite format string whose arguments are the evidence values, e.g.
    /// <c>timeout is {0} but P99 request duration is {1}</c>.</param>
    /// <param name="category">One of <see cref="InsightCategory"/> for built-in rules; any name for a host's own rules.</param>
    /// <param name="defaultSeverity">The severity unless the user configures another.</param>
    public InsightDescriptor(string id, string title, string messageFormat, string category, Severity defaultSeverity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageFormat);
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        if (id is null || !IdPattern().IsMatch(id))
        {
            throw new ArgumentException($"Rule ID '{id}' must be letters followed by digits, e.g. GI1001.", nameof(id));
        }

        if (!Enum.IsDefined(defaultSeverity))
        {
            throw new ArgumentOutOfRangeException(nameof(defaultSeverity), defaultSeverity, "Unknown severity.");
        }

        Id = id;
        Title = title;
        MessageFormat = messageFormat;
        Category = category;
        DefaultSeverity = defaultSeverity;
        HelpLinkUri = id.StartsWith(BuiltInPrefix, StringComparison.Ordinal) ? new Uri(HelpBase + id + ".md") : null;
    }

    /// <summary>The stable rule ID.</summary>
    public string Id { get; }

    /// <summary>A short title.</summary>
    public string Title { get; }

    /// <summary>The message format; its arguments are supplied by the rule's finding.</summary>
    public string MessageFormat { get; }

    /// <summary>The category.</summary>
    public string Category { get; }

    /// <summary>The severity unless configured otherwise.</summary>
    public Severity DefaultSeverity { get; }

    /// <summary>Whether the rule reports unless the user enables it; true for almost every rule.</summary>
    public bool IsEnabledByDefault { get; init; } = true;

    /// <summary>The mechanism: why the problem happens.</summary>
    public string Description { get; init; } = "";

    /// <summary>The rule's documentation page.</summary>
    public Uri? HelpLinkUri { get; init; }

    /// <summary>The technical references the rule relies on: settings, components and concepts (<c>backlog</c>, <c>os.fchmod</c>, …).</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>
    /// The log lines, HTTP statuses and error codes the rule reads as evidence, as they appear in the artifacts
    /// (<c>[CRITICAL] WORKER TIMEOUT (pid:</c>, <c>502</c>, <c>H12 Request Timeout</c>).
    /// </summary>
    public IReadOnlyList<string> Signatures { get; init; } = [];

    /// <summary>Concrete steps that fix or confirm the problem.</summary>
    public IReadOnlyList<RemediationStep> Remediation { get; init; } = [];

    /// <summary>The thresholds the user may change, with their defaults.</summary>
    public IReadOnlyList<RuleParameter> Parameters { get; init; } = [];

    /// <summary>The titles of the documented insights this rule encodes, verbatim.</summary>
    public IReadOnlyList<string> Insights { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() => $"{Id}: {Title}";

    [GeneratedRegex("^[A-Za-z]+[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
