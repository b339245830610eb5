using System.Globalization;
using Gunicorn.Insights.Cli.Terminal;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Cli.Reports;

/// <summary>
/// The report for people: diagnoses most severe first, each with its message, evidence (<c>file:line</c>), remediation
/// and help link; then one recommendation per setting, what was read and the input problems.
/// </summary>
internal static class TextAnalysisReport
{
    private const int EvidenceShown = 6;

    public static void Write(TextWriter output, AnalysisReport report, Palette palette, Func<string, string> display)
    {
        var result = report.Result;
        foreach (var diagnosis in result.Diagnoses)
        {
            WriteDiagnosis(output, diagnosis, palette, display);
        }

        if (result.Recommendations.Count > 0)
        {
            output.WriteLine(palette.Bold("Recommended settings"));
            foreach (var recommendation in result.Recommendations)
            {
                output.WriteLine($"  {recommendation.Summary}");
            }

            output.WriteLine();
        }

        if (result.SuppressedDiagnoses.Count > 0)
        {
            output.WriteLine(palette.Bold("Suppressed"));
            foreach (var diagnosis in result.SuppressedDiagnoses)
            {
                output.WriteLine($"  {diagnosis.Id} {SeverityNames.Of(diagnosis.Severity)}: {diagnosis.Descriptor.Title} — {diagnosis.Suppression!.Justification}");
            }

            output.WriteLine();
        }

        WriteInputs(output, report.Read, palette, display);
        output.WriteLine(Summary(result, palette));
    }

    /// <summary>The last line: counts by severity, or that nothing was found.</summary>
    public static string Summary(AnalysisResult result, Palette palette)
    {
        if (result.Diagnoses.Count == 0)
        {
            var passed = result.Checks.Count(c => c.Outcome == Engine.RuleCheckOutcome.Passed);
            return palette.Green($"No diagnoses: {passed} rule(s) checked the evidence and found nothing wrong.")
                + (result.SuppressedDiagnoses.Count > 0 ? $" {result.SuppressedDiagnoses.Count} suppressed." : "");
        }

        var counts = Enum.GetValues<Severity>().OrderDescending()
            .Select(s => (Severity: s, Count: result.Diagnoses.Count(d => d.Severity == s)))
            .Where(x => x.Count > 0)
            .Select(x => palette.Severity(x.Severity, $"{x.Count} {SeverityNames.Of(x.Severity)}"));
        return $"{string.Join(", ", counts)}" + (result.SuppressedDiagnoses.Count > 0 ? $"; {result.SuppressedDiagnoses.Count} suppressed." : ".");
    }

    /// <summary>The <c>file:line</c> of a location, with the file as the user would type it.</summary>
    public static string Location(Observations.SourceLocation location, Func<string, string> display) =>
        location.Line is { } line ? $"{display(location.Source)}:{line}" : display(location.Source);

    private static void WriteDiagnosis(TextWriter output, Diagnosis diagnosis, Palette palette, Func<string, string> display)
    {
        output.WriteLine($"{palette.Bold(diagnosis.Id)} {palette.Severity(diagnosis.Severity, SeverityNames.Of(diagnosis.Severity))}: {palette.Bold(diagnosis.Descriptor.Title)}"
            + (diagnosis.Instance is { } instance ? palette.Dim($" [{instance}]") : ""));
        output.WriteLine($"  {diagnosis.Message}");
        if (diagnosis.Evidence.Count > 0)
        {
            output.WriteLine(palette.Dim("  evidence:"));
            foreach (var evidence in diagnosis.Evidence.Take(EvidenceShown))
            {
                output.WriteLine($"    {Location(evidence.Location, display)}: {evidence.Text}");
            }

            if (diagnosis.Evidence.Count > EvidenceShown)
            {
                output.WriteLine(palette.Dim($"    … and {diagnosis.Evidence.Count - EvidenceShown} more (--format json lists all)"));
            }
        }

        if (diagnosis.Descriptor.Remediation.Count > 0)
        {
            output.WriteLine(palette.Dim("  remediation:"));
            foreach (var step in diagnosis.Descriptor.Remediation)
            {
                output.WriteLine($"    - {Remediation(step)}");
            }
        }

        if (diagnosis.Descriptor.HelpLinkUri is { } help)
        {
            output.WriteLine(palette.Dim($"  help: {help}"));
        }

        output.WriteLine();
    }

    private static string Remediation(RemediationStep step) => step.Kind switch
    {
        RemediationKind.ChangeSetting when step.Setting is { } setting =>
            $"{step.Text} [{setting}{(step.RecommendedValue is { } value ? $" = {value}" : "")}]",
        RemediationKind.RunCommand or RemediationKind.Investigate when step.Command is { } command =>
            $"{step.Text}{Environment.NewLine}        $ {command}",
        _ => step.Text,
    };

    private static void WriteInputs(TextWriter output, ReadResult read, Palette palette, Func<string, string> display)
    {
        var lines = read.Inputs.Sum(i => i.Lines);
        var bytes = read.Inputs.Sum(i => i.Bytes);
        var span = Span(read.Inputs.Select(i => i.FirstTimestamp).Min(), read.Inputs.Select(i => i.LastTimestamp).Max());
        output.WriteLine(palette.Bold(string.Create(CultureInfo.InvariantCulture,
            $"Read {read.Inputs.Count} file(s), {lines:N0} lines, {bytes:N0} bytes, {read.Observations.Count:N0} observations{span}")));
        var width = read.Inputs.Select(i => ArtifactKindCatalog.Of(i.Kind).Name.Length).DefaultIfEmpty(0).Max();
        foreach (var input in read.Inputs)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {ArtifactKindCatalog.Of(input.Kind).Name.PadRight(width)}  {display(input.Path)}  {input.Lines:N0} line{(input.Lines == 1 ? "" : "s")}{Span(input.FirstTimestamp, input.LastTimestamp)}"));
        }

        if (read.Problems.Count > 0)
        {
            output.WriteLine(palette.Bold($"Input problems ({read.Problems.Count})"));
            foreach (var problem in read.Problems)
            {
                var where = Location(problem.Location, display);
                output.WriteLine($"  {where}: {SeverityNames.Of(problem.Severity)}: {problem.Message}");
            }
        }

        output.WriteLine();
    }

    private static string Span(DateTimeOffset? first, DateTimeOffset? last) => (first, last) switch
    {
        ({ } from, { } to) => string.Create(CultureInfo.InvariantCulture,
            $", {from.UtcDateTime:yyyy-MM-dd HH:mm:ss} – {(to.UtcDateTime.Date == from.UtcDateTime.Date ? to.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : to.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))} UTC"),
        _ => "",
    };
}
