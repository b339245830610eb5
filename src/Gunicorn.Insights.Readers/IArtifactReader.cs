using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers;

/// <summary>Reads one kind of artifact into observations.</summary>
public interface IArtifactReader
{
    /// <summary>The kind of artifact it reads.</summary>
    ArtifactKind Kind { get; }

    /// <summary>
    /// How sure the reader is, from 0 (not this kind) to 100 (certain), that an input with this file name and these first
    /// lines is its kind. The most confident reader reads the input.
    /// </summary>
    /// <param name="fileName">The file's name with its folder, e.g. <c>nginx/access.log</c> (the bare name when it has no folder).</param>
    /// <param name="head">The first lines, decoded leniently.</param>
    int Recognize(string fileName, IReadOnlyList<string> head);

    /// <summary>Reads every line of <paramref name="source"/> into <paramref name="context"/>; never throws for bad content.</summary>
    void Read(LineSource source, ReadContext context);
}
