using System.Globalization;
using Gunicorn.Insights.Cli.Terminal;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Cli.Reports;

/// <summary>
/// What the readers extracted, before any rule: each observation with its kind, location and values, and every
/// request-duration distribution with the chosen percentiles (Prometheus <c>histogram_quantile</c> semantics).
/// </summary>
internal static class ObservationReport
{
    private const int ShownPerKind = 20;

    public static void WriteText(TextWriter output, ReadResult read, IReadOnlyList<double> quantiles, Palette palette, Func<string, string> display)
    {
        foreach (var file in read.Observations.GroupBy(o => o.Source.Source))
        {
            var input = read.Inputs.FirstOrDefault(i => i.Path == file.Key);
            var kind = input is null ? "" : $" ({ArtifactKindCatalog.Of(input.Kind).Name}, {input.Lines.ToString("N0", CultureInfo.InvariantCulture)} lines)";
            output.WriteLine(palette.Bold($"{display(file.Key)}{kind}: {file.Count()} observation(s)"));
            foreach (var group in file.GroupBy(o => o.GetType().Name))
            {
                foreach (var observation in group.Take(ShownPerKind))
                {
                    output.WriteLine($"  {TextAnalysisReport.Location(observation.Source, display)}  {palette.Dim(group.Key)}  {observation.Describe()}{Context(observation)}");
                }

                if (group.Count() > ShownPerKind)
                {
                    output.WriteLine(palette.Dim($"  … and {group.Count() - ShownPerKind} more {group.Key} (--format json lists all)"));
                }
            }

            output.WriteLine();
        }

        var histograms = read.Observations.OfType<RequestDurationHistogram>().ToArray();
        if (histograms.Length > 0)
        {
            output.WriteLine(palette.Bold($"Request durations ({string.Join(", ", quantiles.Select(Name))})"));
            foreach (var histogram in histograms)
            {
                var values = quantiles.Select(q => $"{Name(q)} {Duration(histogram.Percentile(q))}");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {TextAnalysisReport.Location(histogram.Source, display)}  {histogram.MetricName}{Labels(histogram)}  {histogram.Count:N0} requests  {string.Join("  ", values)}"));
            }

            output.WriteLine();
        }

        if (read.Problems.Count > 0)
        {
            output.WriteLine(palette.Bold($"Input problems ({read.Problems.Count})"));
            foreach (var problem in read.Problems)
            {
                output.WriteLine($"  {TextAnalysisReport.Location(problem.Location, display)}: {SeverityNames.Of(problem.Severity)}: {problem.Message}");
            }

            output.WriteLine();
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{read.Observations.Count:N0} observations from {read.Inputs.Count} file(s), {read.Inputs.Sum(i => i.Lines):N0} lines."));
    }

    public static void WriteJson(TextWriter output, ReadResult read, IReadOnlyList<double> quantiles, ToolInfo tool, Func<string, string> display) =>
        JsonOutput.Write(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("schemaVersion", JsonAnalysisReport.SchemaVersion);
            writer.WriteStartObject("tool");
            writer.WriteString("name", tool.Name);
            writer.WriteString("version", tool.Version);
            writer.WriteEndObject();
            writer.WriteStartArray("observations");
            foreach (var observation in read.Observations)
            {
                writer.WriteStartObject();
                writer.WriteString("type", observation.GetType().Name);
                JsonOutput.WriteLocation(writer, observation.Source, display);
                JsonOutput.WriteTime(writer, "timestamp", observation.Timestamp);
                JsonOutput.WriteStringOrNull(writer, "instance", observation.Instance);

                writer.WriteString("description", observation.Describe());
                ObservationValues.Write(writer, observation);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("distributions");
            foreach (var histogram in read.Observations.OfType<RequestDurationHistogram>())
            {
                writer.WriteStartObject();
                JsonOutput.WriteLocation(writer, histogram.Source, display);
                writer.WriteString("metric", histogram.MetricName);
                writer.WriteStartObject("labels");
                foreach (var (name, value) in histogram.Labels)
                {
                    writer.WriteString(name, value);
                }

                writer.WriteEndObject();
                writer.WriteNumber("count", histogram.Count);
                writer.WriteStartArray("quantiles");
                foreach (var q in quantiles)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("quantile", q);
                    if (histogram.Percentile(q) is { } value)
                    {
                        writer.WriteNumber("seconds", value.TotalSeconds);
                    }
                    else
                    {
                        writer.WriteNull("seconds");
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            JsonAnalysisReport.WriteInputs(writer, read, display);
            JsonAnalysisReport.WriteInputErrors(writer, read.Problems, display);
            writer.WriteEndObject();
        });

    /// <summary>P50 for 0.5, P99.9 for 0.999.</summary>
    public static string Name(double quantile) => "P" + (quantile * 100).ToString("0.###", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan? value) => value switch
    {
        null => "n/a",
        { TotalSeconds: >= 1 } span => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s",
        { } span => span.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms",
    };

    private static string Labels(RequestDurationHistogram histogram) => histogram.Labels.Count == 0
        ? ""
        : "{" + string.Join(",", histogram.Labels.Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";

    private static string Context(Observation observation) =>
        (observation.Instance is { } instance ? $" [{instance}]" : "")
        + (observation.Timestamp is { } time ? $" @ {time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z" : "");
}
