using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers;

/// <summary>
/// How far a batch read has come, for a progress display on another thread: the reading thread updates it as it goes,
/// a display polls it. Reads are cheap and need no lock; a value may be a buffer (1 MiB) behind.
/// </summary>
public sealed class ReadProgress
{
    private ReadContext? _current;
    private long _completedBytes;
    private long _completedLines;
    private int _filesDone;

    /// <summary>How many files the batch reads, known once folders are expanded.</summary>
    public int FilesTotal { get; private set; }

    /// <summary>Their combined size on disk (compressed size for .gz), known once folders are expanded.</summary>
    public long BytesOnDisk { get; private set; }

    /// <summary>Files read to the end.</summary>
    public int FilesDone => Volatile.Read(ref _filesDone);

    /// <summary>The file being read; null before the first and after the last.</summary>
    public string? CurrentFile => Volatile.Read(ref _current)?.SourceName;

    /// <summary>Bytes read so far, decompressed, over all files.</summary>
    public long BytesRead => Volatile.Read(ref _completedBytes) + (Volatile.Read(ref _current)?.Bytes ?? 0);

    /// <summary>Lines read so far, over all files.</summary>
    public long LinesRead => Volatile.Read(ref _completedLines) + (Volatile.Read(ref _current)?.Lines ?? 0);

    internal void Planned(int files, long bytesOnDisk)
    {
        FilesTotal = files;
        BytesOnDisk = bytesOnDisk;
    }

    internal void Started(ReadContext context) => Volatile.Write(ref _current, context);

    internal void Finished(ReadContext context)
    {
        Volatile.Write(ref _current, null);
        Interlocked.Add(ref _completedBytes, context.Bytes);
        Interlocked.Add(ref _completedLines, context.Lines);
        Interlocked.Increment(ref _filesDone);
    }
}
