using Gunicorn.Insights.Diagnostics;

namespace Gunicorn.Insights.Rules.Export;

/// <summary>
/// One rule of the pack as a Prometheus alerting rule: a PromQL expression over standard exporter metrics with the
/// rule's thresholds, labelled with the rule ID and severity and annotated with its title, a summary and its page.
/// </summary>
/// <param name="Alert">The alert name, e.g. <c>GunicornP95LatencyHigh</c>.</param>
/// <param name="Descriptor">The rule it stands for.</param>
/// <param name="Severity">The severity it is labelled with: the rule's configured one.</param>
/// <param name="Expression">The PromQL expression; a series it returns is a firing alert.</param>
/// <param name="Summary">What a firing alert means, with Prometheus template fields (<c>{{ $labels.instance }}</c>).</param>
public sealed record PrometheusAlertRule(string Alert, InsightDescriptor Descriptor, Severity Severity, string Expression, string Summary)
{
    /// <summary>How long the expression must hold before the alert fires; zero fires at once.</summary>
    public TimeSpan For { get; init; }

    /// <summary>The exporters (and the metrics of each) the expression needs, as the rule file's comment names them.</summary>
    public IReadOnlyList<string> Exporters { get; init; } = [];

    /// <summary>The labels: <c>rule_id</c> and <c>severity</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels =>
    [
        new("rule_id", Descriptor.Id),
        new("severity", Severity.ToString().ToLowerInvariant()),
    ];

    /// <summary>The annotations: <c>title</c>, <c>summary</c> and, for a rule with a page, <c>help_url</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Annotations =>
        Descriptor.HelpLinkUri is { } help
            ? [new("title", Descriptor.Title), new("summary", Summary), new("help_url", help.ToString())]
            : [new("title", Descriptor.Title), new("summary", Summary)];
}
