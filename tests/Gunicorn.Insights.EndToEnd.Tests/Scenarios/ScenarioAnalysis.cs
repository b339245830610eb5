using System.Text;
using Gunicorn.Insights.Configuration;
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Readers;
using Microsoft.Extensions.DependencyInjection;

namespace Gunicorn.Insights.EndToEnd.Tests.Scenarios;

/// <summary>
/// What Gunicorn.Insights makes of a scenario's captured files, through the library's public entry points: the
/// built-in readers (each file's kind detected, as a user's folder would be) and the analyzer with the built-in rules.
/// </summary>
internal sealed class ScenarioAnalysis
{
    /// <summary>The instance every captured file describes.</summary>
    public const string Instance = "web-1";

    private ScenarioAnalysis(ReadResult read, AnalysisResult result)
    {
        Read = read;
        Result = result;
    }

    /// <summary>What the readers read.</summary>
    public ReadResult Read { get; }

    /// <summary>What the rules concluded.</summary>
    public AnalysisResult Result { get; }

    /// <summary>The diagnoses.</summary>
    public IReadOnlyList<Diagnosis> Diagnoses => Result.Diagnoses;

    /// <summary>The IDs of the diagnoses, in report order.</summary>
    public IReadOnlyList<string> Ids => [.. Diagnoses.Select(d => d.Id)];

    /// <summary>Reads <paramref name="files"/> and analyses them, with <paramref name="configure"/> applied to the options.</summary>
    public static ScenarioAnalysis Of(IEnumerable<string> files, Action<GunicornInsightsOptions>? configure = null)
    {
        var read = BuiltInReaders.Create().Read(files.Select(f => new ArtifactRequest(f) { Instance = Instance }));
        using var services = new ServiceCollection()
            .AddGunicornInsights(options => configure?.Invoke(options))
            .BuildServiceProvider();
        var result = services.GetRequiredService<DeploymentAnalyzer>().Analyze(read.Observations);
        return new ScenarioAnalysis(read, result);
    }

    /// <summary>The single diagnosis with <paramref name="id"/>; fails naming the diagnoses found otherwise.</summary>
    public Diagnosis Single(string id)
    {
        var matches = Diagnoses.Where(d => d.Id == id).ToArray();
        return matches.Length == 1
            ? matches[0]
            : throw new InvalidOperationException($"expected one {id} diagnosis, found {matches.Length} among {string.Join(", ", Ids)}");
    }

    /// <summary>The GI0003 notes about <paramref name="id"/> (the rule could not conclude).</summary>
    public IReadOnlyList<Diagnosis> Inconclusive(string id) =>
        [.. Diagnoses.Where(d => d.Id == "GI0003" && d.Message.StartsWith(id + " ", StringComparison.Ordinal))];

    /// <summary>Every input with its detected kind, every input problem and every diagnosis with its evidence.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine("Inputs:");
        foreach (var input in Read.Inputs)
        {
            text.AppendLine($"  {input.Kind}: {input.Path} ({input.Lines} lines, {input.Observations} observations)");
        }

        text.AppendLine($"Input problems: {Read.Problems.Count}");
        foreach (var problem in Read.Problems)
        {
            text.AppendLine($"  {problem}");
        }

        text.AppendLine($"Diagnoses: {Diagnoses.Count}");
        foreach (var diagnosis in Diagnoses.Concat(Result.SuppressedDiagnoses))
        {
            text.AppendLine($"  {diagnosis}{(diagnosis.IsSuppressed ? " (suppressed)" : "")}");
            foreach (var evidence in diagnosis.Evidence)
            {
                text.AppendLine($"      at {evidence.Location}: {evidence.Text}");
            }
        }

        return text.ToString();
    }
}
