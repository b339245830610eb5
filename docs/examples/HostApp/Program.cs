// A host app's use of Gunicorn.Insights: read the artifacts of an incident (a folder by default, the bundled
// docs/examples/incident-web-1), analyse them with the built-in rules, and print what went wrong and what to change.
using Gunicorn.Insights;
using Gunicorn.Insights.Readers;
using Microsoft.Extensions.DependencyInjection;

var folder = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "incident-web-1");
using var services = new ServiceCollection().AddGunicornInsights().BuildServiceProvider();
var analyzer = services.GetRequiredService<DeploymentAnalyzer>();

var read = BuiltInReaders.Create().Read([new ArtifactRequest(folder) { Instance = "web-1" }]);
var result = analyzer.Analyze(read.Observations);

foreach (var diagnosis in result.Diagnoses)
{
    Console.WriteLine($"{diagnosis.Id} {diagnosis.Severity.ToString().ToLowerInvariant()}: {diagnosis.Message}");
    foreach (var evidence in diagnosis.Evidence.Take(4))
    {
        // Files are shown relative to the folder; other sources ("gunicorn defaults") are names, not paths.
        var source = File.Exists(evidence.Location.Source) ? Path.GetRelativePath(folder, evidence.Location.Source) : evidence.Location.Source;
        Console.WriteLine($"    at {source}{(evidence.Location.Line is { } line ? $":{line}" : "")}: {evidence.Text}");
    }

    Console.WriteLine($"    see {diagnosis.Descriptor.HelpLinkUri}");
}

Console.WriteLine();
foreach (var recommendation in result.Recommendations)
{
    Console.WriteLine($"recommended: {recommendation.Summary}");
}

foreach (var problem in read.Problems)
{
    Console.WriteLine($"input problem: {problem}");
}

Console.WriteLine($"{result.Diagnoses.Count} diagnosis(es) from {read.Inputs.Count} file(s), {read.Inputs.Sum(i => i.Lines)} lines, {read.Observations.Count} observations.");
return result.Diagnoses.Count == 0 ? 0 : 1;
