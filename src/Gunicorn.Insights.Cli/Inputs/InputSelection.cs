using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Cli.Inputs;

/// <summary>What the user asked to read: paths whose kinds are detected, and <c>KIND=PATH</c> pairs read as that kind.</summary>
internal sealed record InputSelection(IReadOnlyList<ArtifactRequest> Requests)
{
    /// <summary>Builds the selection; an unknown kind or a malformed pair is a usage error.</summary>
    public static InputSelection From(IEnumerable<string> paths, IEnumerable<string> kindSpecs, string? instance)
    {
        var requests = paths.Select(p => new ArtifactRequest(p) { Instance = instance }).ToList();
        foreach (var spec in kindSpecs)
        {
            var equals = spec.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == spec.Length - 1)
            {
                throw new UsageException($"--kind takes KIND=PATH (e.g. --kind access-log=logs/app.log), not '{spec}'");
            }

            var name = spec[..equals];
            if (!ArtifactKindCatalog.TryFind(name, out var kind))
            {
                throw new UsageException($"unknown artifact kind '{name}'; known kinds: {string.Join(", ", ArtifactKindCatalog.All.Select(k => k.Name))}");
            }

            requests.Add(new ArtifactRequest(spec[(equals + 1)..]) { Kind = kind.Kind, Instance = instance });
        }

        if (requests.Count == 0)
        {
            throw new UsageException("no input: give files or folders to read (or --kind KIND=PATH)");
        }

        return new InputSelection(requests);
    }

    /// <summary>
    /// Reads the selection. When nothing at all could be read (missing paths, unreadable or binary files, empty folders,
    /// nothing recognised) it is a usage error naming each problem; otherwise the problems travel with the result.
    /// </summary>
    public ReadResult Read(ReadProgress? progress = null)
    {
        var result = BuiltInReaders.Create().Read(Requests, progress);
        if (result.Inputs.Any(i => i.Lines > 0 || i.Observations > 0))
        {
            return result;
        }

        var problems = result.Problems.Count > 0
            ? result.Problems.Select(p => p.ToString())
            : result.Inputs.Select(i => $"{i.Path}: empty file");
        var reasons = problems.DefaultIfEmpty("nothing to read").ToArray();
        throw new UsageException("no readable input: " + string.Join("; ", reasons));
    }
}
