using System.Globalization;
using System.Text.Json;
using Gunicorn.Insights.Cli.Terminal;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Cli.Reports;

/// <summary>
/// Why a rule did or did not fire on the inputs: its outcome, then condition by condition how many facts and partial
/// matches each saw, where the matches ran out, and which artifact would supply a missing fact.
/// </summary>
internal static class ExplanationReport
{
    public static void WriteText(TextWriter output, string id, IReadOnlyList<RuleExplanation> explanations, AnalysisResult result,
        ReadResult read, Palette palette, Func<string, string> display)
    {
        foreach (var explanation in explanations)
        {
            var title = explanation.Descriptors.FirstOrDefault(d => d.Id.Equals(id, StringComparison.OrdinalIgnoreCase))?.Title;
            output.WriteLine(palette.Bold($"{ShortName(explanation.RuleName)}{(title is null ? "" : $" ({id.ToUpperInvariant()}: {title})")}"));
            var outcome = explanation.Descriptors.Count == 0 ? "derives facts for other rules (no diagnosis of its own)" : Outcome(explanation.Check.Outcome);
            output.WriteLine($"  outcome: {outcome}; {explanation.Matches} complete match(es)");
            output.WriteLine("  conditions:");
            foreach (var condition in explanation.Conditions)
            {
                WriteCondition(output, condition, explanation, palette);
            }

            var reported = result.Diagnoses.Concat(result.SuppressedDiagnoses)
                .Where(d => d.RuleName == explanation.RuleName)
                .ToArray();
            if (reported.Length > 0)
            {
                output.WriteLine("  reported:");
                foreach (var diagnosis in reported)
                {
                    output.WriteLine($"    {diagnosis.Id} {SeverityNames.Of(diagnosis.Severity)}{(diagnosis.IsSuppressed ? " (suppressed)" : "")}: {diagnosis.Message}");
                    foreach (var evidence in diagnosis.Evidence.Take(4))
                    {
                        output.WriteLine($"      {TextAnalysisReport.Location(evidence.Location, display)}: {evidence.Text}");
                    }
                }
            }
            else if (explanation.Check.Evidence.Count > 0)
            {
                output.WriteLine("  checked and found nothing wrong in:");
                foreach (var evidence in explanation.Check.Evidence)
                {
                    output.WriteLine($"    {TextAnalysisReport.Location(evidence.Location, display)}: {evidence.Text}");
                }
            }

            output.WriteLine();
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Inputs: {read.Inputs.Count} file(s), {read.Observations.Count:N0} observations, {read.Problems.Count} input problem(s)."));
    }

    public static void WriteJson(TextWriter output, string id, IReadOnlyList<RuleExplanation> explanations, AnalysisResult result,
        ReadResult read, Func<string, string> display) =>
        JsonOutput.Write(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("schemaVersion", JsonAnalysisReport.SchemaVersion);
            writer.WriteString("id", id.ToUpperInvariant());
            writer.WriteStartArray("rules");
            foreach (var explanation in explanations)
            {
                writer.WriteStartObject();
                writer.WriteString("rule", ShortName(explanation.RuleName));
                JsonOutput.WriteStrings(writer, "ids", explanation.Descriptors.Select(d => d.Id));
                writer.WriteString("outcome", Outcome(explanation.Check.Outcome));
                writer.WriteNumber("matches", explanation.Matches);
                writer.WriteStartArray("conditions");
                foreach (var condition in explanation.Conditions)
                {
                    WriteCondition(writer, condition, explanation);
                }

                writer.WriteEndArray();
                JsonOutput.WriteStrings(writer, "reported", result.Diagnoses.Concat(result.SuppressedDiagnoses)
                    .Where(d => d.RuleName == explanation.RuleName).Select(d => $"{d.Id} {SeverityNames.Of(d.Severity)}: {d.Message}"));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            JsonAnalysisReport.WriteInputs(writer, read, display);
            JsonAnalysisReport.WriteInputErrors(writer, read.Problems, display);
            writer.WriteEndObject();
        });

    private static string Outcome(RuleCheckOutcome outcome) => outcome switch
    {
        RuleCheckOutcome.Fired => "fired",
        RuleCheckOutcome.Passed => "passed (the evidence was there and showed nothing wrong)",
        RuleCheckOutcome.NoEvidence => "no evidence (the facts it reads were not in the inputs)",
        _ => "disabled (by configuration)",
    };

    /// <summary>A rule's name without its namespace, as <c>explain NAME --on</c> accepts it.</summary>
    public static string ShortName(string ruleName) => ruleName[(ruleName.LastIndexOfAny(['.', '+']) + 1)..];

    private static void WriteCondition(TextWriter output, ConditionTrace condition, RuleExplanation explanation, Palette palette)
    {
        var mark = condition.MatchesIn == 0 ? palette.Dim("·") : condition.Held ? palette.Green("✓") : palette.Red("✗");
        var subject = condition.FactType is { } type ? $"{Verb(condition.Kind)} {type.Name}" : Verb(condition.Kind);
        var where = condition.Conditions.Count == 0 ? "" : $" where {string.Join(" and ", condition.Conditions)}";
        output.WriteLine($"    {condition.Position + 1}. {mark} {subject}{where}");
        if (condition.MatchesIn == 0)
        {
            output.WriteLine(palette.Dim("         not reached: an earlier condition let nothing through"));
            return;
        }

        if (condition.FactType is { } factType)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"         {condition.FactsOfType} {factType.Name} fact(s), {condition.FactsPassingOwnConditions} pass their own conditions; {condition.MatchesIn} partial match(es) in, {condition.MatchesOut} out"));
        }
        else
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"         {condition.MatchesIn} partial match(es) in, {condition.MatchesOut} out"));
        }

        if (!condition.Held)
        {
            foreach (var line in Advice(condition, explanation))
            {
                output.WriteLine(palette.Bold($"         {line}"));
            }
        }
    }

    private static void WriteCondition(Utf8JsonWriter writer, ConditionTrace condition, RuleExplanation explanation)
    {
        writer.WriteStartObject();
        writer.WriteNumber("position", condition.Position + 1);
        writer.WriteString("kind", condition.Kind.ToString().ToLowerInvariant());
        JsonOutput.WriteStringOrNull(writer, "factType", condition.FactType?.Name);

        JsonOutput.WriteStrings(writer, "conditions", condition.Conditions);
        writer.WriteNumber("factsOfType", condition.FactsOfType);
        writer.WriteNumber("factsPassingOwnConditions", condition.FactsPassingOwnConditions);
        writer.WriteNumber("matchesIn", condition.MatchesIn);
        writer.WriteNumber("matchesOut", condition.MatchesOut);
        writer.WriteBoolean("held", condition.Held);
        JsonOutput.WriteStrings(writer, "derivedBy", condition.DerivedBy);
        JsonOutput.WriteStrings(writer, "advice", condition.Held || condition.MatchesIn == 0 ? [] : Advice(condition, explanation));
        writer.WriteEndObject();
    }

    /// <summary>What to do about a condition that stopped the rule: which artifact supplies the fact, or why it did not match.</summary>
    private static IEnumerable<string> Advice(ConditionTrace condition, RuleExplanation explanation)
    {
        if (condition.Kind == ConditionKind.Not)
        {
            yield return "a fact that rules this case out is present: the rule does not apply here";
            yield break;
        }

        if (condition.FactType is not { } type)
        {
            yield return "the test on the facts matched so far does not hold for any of them";

            // A test over aggregates fails most often because an aggregate found nothing to collect.
            var empty = explanation.Conditions
                .Where(c => c.Position < condition.Position && c.Kind == ConditionKind.Aggregate && c.FactsPassingOwnConditions == 0 && c.FactType is not null)
                .ToArray();
            foreach (var aggregate in empty)
            {
                yield return $"condition {aggregate.Position + 1} collected no {aggregate.FactType!.Name}{(aggregate.Conditions.Count > 0 ? $" where {string.Join(" and ", aggregate.Conditions)}" : "")}";
                foreach (var line in Supply(aggregate))
                {
                    yield return "  " + line;
                }
            }

            yield break;
        }

        if (condition.FactsOfType > 0)
        {
            yield return condition.FactsPassingOwnConditions == 0
                ? $"no {type.Name} read satisfies the conditions above"
                : $"no {type.Name} that satisfies its own conditions goes with the facts matched before it (same instance, same process, …)";
            yield break;
        }

        foreach (var line in Supply(condition))
        {
            yield return line;
        }
    }

    /// <summary>Where facts of the condition's type come from: the rule that derives them, or the artifacts that yield them.</summary>
    private static IEnumerable<string> Supply(ConditionTrace condition)
    {
        var type = condition.FactType!;
        if (condition.DerivedBy.Count > 0)
        {
            var rule = ShortName(condition.DerivedBy[0]);
            yield return $"missing: {type.Name} is derived by {string.Join(", ", condition.DerivedBy.Select(ShortName))}; `gunicorn-insights explain {rule} --on …` shows why it derived none";
            yield break;
        }

        var sources = ArtifactKindCatalog.Yielding(type);
        var missing = condition.FactsOfType == 0
            ? $"missing: no {type.Name} was read"
            : $"missing: none of the {condition.FactsOfType} {type.Name} read is of this kind";
        yield return sources.Count == 0 ? missing : missing + "; supply one of:";
        foreach (var source in sources)
        {
            yield return $"  - {source.Title}: {source.HowToCapture}";
        }
    }

    private static string Verb(ConditionKind kind) => kind switch
    {
        ConditionKind.Match => "match a",
        ConditionKind.Not => "no",
        ConditionKind.Exists => "some",
        ConditionKind.Aggregate => "aggregate of",
        ConditionKind.Let => "compute",
        _ => "require",
    };
}
