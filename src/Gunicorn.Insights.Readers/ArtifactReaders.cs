using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers;

/// <summary>
/// Reads a batch of inputs: expands folders (recursively, in name order, skipping hidden entries and Markdown notes),
/// detects each file's kind from its name and first lines (or takes the kind given), reads configuration before logs so that, for example,
/// an access log is parsed with the <c>access_log_format</c> its <c>gunicorn.conf.py</c> sets, and collects every
/// observation and input problem. Nothing in the inputs makes it throw.
/// </summary>
public sealed class ArtifactReaders
{
    private static readonly ArtifactKind[] ConfigurationKinds =
        [ArtifactKind.GunicornConfig, ArtifactKind.CommandLine, ArtifactKind.NginxConfig, ArtifactKind.RedisConfig,
         ArtifactKind.PrometheusConfig, ArtifactKind.NewRelicConfig];

    /// <summary>Creates a batch reader with <paramref name="readers"/>.</summary>
    public ArtifactReaders(IEnumerable<IArtifactReader> readers)
    {
        ArgumentNullException.ThrowIfNull(readers);
        Readers = readers.ToArray();
    }

    /// <summary>The readers, in the order they are asked to recognise an input.</summary>
    public IReadOnlyList<IArtifactReader> Readers { get; }

    /// <summary>The kind of the file at <paramref name="path"/>, from its name and first lines.</summary>
    public ArtifactKind Detect(string path) => Detect(path, LineSource.FromFile(path).Head());

    /// <summary>
    /// The kind of an input at <paramref name="path"/> starting with <paramref name="head"/>. Readers see the file name with
    /// its folder (<c>nginx/access.log</c>), which often tells two same-shaped formats apart.
    /// </summary>
    public ArtifactKind Detect(string path, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(path);
        var folder = Path.GetFileName(Path.GetDirectoryName(path) ?? "");
        var name = string.IsNullOrEmpty(folder) ? Path.GetFileName(path) : $"{folder}/{Path.GetFileName(path)}";
        var best = Readers.Select(r => (Reader: r, Score: r.Recognize(name, head))).Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score).FirstOrDefault();
        return best.Reader?.Kind ?? ArtifactKind.Unknown;
    }

    /// <summary>Reads every request; folders are expanded recursively.</summary>
    public ReadResult Read(IEnumerable<ArtifactRequest> requests) => Read(requests, null);

    /// <summary>Reads every request, reporting how far it has come to <paramref name="progress"/>; folders are expanded recursively.</summary>
    public ReadResult Read(IEnumerable<ArtifactRequest> requests, ReadProgress? progress)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var problems = new List<InputDiagnostic>();
        var files = new List<(string Path, ArtifactKind Kind, string? Instance)>();
        foreach (var request in requests)
        {
            foreach (var path in Expand(request.Path, problems))
            {
                var kind = request.Kind ?? Detect(path);
                if (kind == ArtifactKind.Unknown)
                {
                    problems.Add(new InputDiagnostic(new SourceLocation(path), InputDiagnosticSeverity.Warning,
                        "not recognised as any artifact Gunicorn.Insights reads; skipped (name its kind explicitly to read it)"));
                    continue;
                }

                files.Add((path, kind, request.Instance));
            }
        }

        progress?.Planned(files.Count, files.Sum(f => SizeOnDisk(f.Path)));
        var observations = new List<Observation>();
        var inputs = new List<InputSummary>();
        var parameters = new List<ConfigParameter>();
        foreach (var (path, kind, instance) in files.OrderBy(f => ConfigurationKinds.Contains(f.Kind) ? 0 : 1))
        {
            var reader = Readers.First(r => r.Kind == kind);
            var context = new ReadContext(path, instance, parameters.ToArray());
            progress?.Started(context);
            try
            {
                reader.Read(LineSource.FromFile(path), context);
            }
#pragma warning disable CA1031 // A reader's own bug must not end the analysis of every other input.
            catch (Exception e)
#pragma warning restore CA1031
            {
                context.Report(context.Lines + 1, InputDiagnosticSeverity.Error,
                    $"the {kind} reader failed ({e.GetType().Name}: {e.Message}); the lines before were read. Please report this.");
            }

            progress?.Finished(context);
            observations.AddRange(context.Observations);
            parameters.AddRange(context.Observations.OfType<ConfigParameter>());
            problems.AddRange(context.Problems);
            inputs.Add(new InputSummary(path, kind)
            {
                Bytes = context.Bytes,
                Lines = context.Lines,
                Observations = context.Observations.Count,
                FirstTimestamp = context.FirstTimestamp,
                LastTimestamp = context.LastTimestamp,
            });
        }

        return new ReadResult(observations, inputs, problems);
    }

    private static long SizeOnDisk(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static string[] Expand(string path, List<InputDiagnostic> problems)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            problems.Add(new InputDiagnostic(new SourceLocation(path), InputDiagnosticSeverity.Error, "no such file or folder"));
            return [];
        }

        try
        {
            var options = new EnumerationOptions
            {
                RecurseSubdirectories = true,
                AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint,
                IgnoreInaccessible = true,
            };
            var files = Directory.EnumerateFiles(path, "*", options)
                .Where(f => !Path.GetRelativePath(path, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
                // A folder of artifacts often carries its own notes (README.md); Markdown is never an artifact.
                .Where(f => !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (files.Length == 0)
            {
                problems.Add(new InputDiagnostic(new SourceLocation(path), InputDiagnosticSeverity.Warning,
                    "the folder holds no files to read (hidden entries and Markdown notes are skipped)"));
            }

            return files;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new InputDiagnostic(new SourceLocation(path), InputDiagnosticSeverity.Error, $"cannot list the folder: {e.Message}"));
            return [];
        }
    }
}
