using System.Runtime.CompilerServices;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Live;

/// <summary>
/// Follows a growing log file by polling (no file-system notification, so it works on network and container file
/// systems): each <see cref="Poll"/> reads the complete lines appended since the last one with the reader for the
/// file's kind, and returns the observations for that chunk, located at their line in the current file.
/// </summary>
/// <remarks>
/// <para>Rotation. The file is told apart from its successor by its first bytes (.NET has no portable inode): when the
/// file at the path no longer starts with the bytes the followed one started with, it was replaced (renamed away and
/// created anew); the rest of the old file is read through the handle still open on it, then the new file is read from
/// its beginning, with line numbers from 1. When the file is shorter than what was read, it was truncated in place
/// (<c>copytruncate</c>) and is read again from its beginning.</para>
/// <para>Chunks. A line is read once it ends with a newline; a partial last line waits for the next poll. Readers
/// aggregate per read, so each poll gives its own signatures and summaries for its chunk, with the times of its lines.
/// A chunk is at most <see cref="LogFollowerOptions.MaximumBytesPerPoll"/> bytes.</para>
/// <para>Not thread-safe: poll from one thread (or one loop) at a time.</para>
/// </remarks>
public sealed class LogFollower : IDisposable
{
    private const int FingerprintBytes = 256;

    private readonly LogFollowerOptions _options;
    private FileStream? _stream;
    private byte[] _fingerprint = [];
    private long _offset;
    private long _linesRead;
    private IArtifactReader? _reader;
    private bool _started;

    /// <summary>Creates a follower of the file at <paramref name="path"/>; nothing is read until the first poll.</summary>
    public LogFollower(string path, LogFollowerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        _options = options ?? new LogFollowerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaximumBytesPerPoll, LineSource.MaximumLineBytes);
    }

    /// <summary>The followed path.</summary>
    public string Path { get; }

    /// <summary>The kind the file is read as, once given or detected.</summary>
    public ArtifactKind? Kind => _reader?.Kind ?? _options.Kind;

    /// <summary>How many times the file was found replaced or truncated.</summary>
    public int Rotations { get; private set; }

    /// <summary>
    /// Reads the complete lines appended since the last poll (after a rotation: the rest of the old file, then the new
    /// file from its start). A missing file gives nothing, and is picked up when it appears.
    /// </summary>
    public ReadResult Poll()
    {
        var observations = new List<Observation>();
        var problems = new List<InputDiagnostic>();
        var inputs = new List<InputSummary>();
        try
        {
            PollInto(observations, problems, inputs);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file system hiccup (a stale network handle, a permission change) is reported; the next poll tries again.
            problems.Add(new InputDiagnostic(new SourceLocation(Path), InputDiagnosticSeverity.Error, $"cannot read: {e.Message}"));
        }

        return new ReadResult(observations, inputs, problems);
    }

    /// <summary>Polls every <paramref name="interval"/> until cancelled, yielding each poll that read something.</summary>
    public async IAsyncEnumerable<ReadResult> FollowAsync(TimeSpan interval, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = Poll();
            if (result.Observations.Count > 0 || result.Problems.Count > 0)
            {
                yield return result;
            }

            try
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => StartGeneration(null);

    private void PollInto(List<Observation> observations, List<InputDiagnostic> problems, List<InputSummary> inputs)
    {
        if (_stream is not null)
        {
            if (_stream.Length < _offset || !StartsWithFingerprint(_stream))
            {
                // Truncated or rewritten in place (copytruncate): the same file holds new lines from its start.
                StartGeneration(_stream);
                Rotations++;
            }
            else if (PathNamesAnotherFile())
            {
                // Renamed away and created anew: the writer may have added lines to the old file before it let go.
                ReadAppended(observations, problems, inputs);
                StartGeneration(null);
                Rotations++;
            }
        }

        if (_stream is null && !Open(problems))
        {
            return;
        }

        ReadAppended(observations, problems, inputs);
    }

    private bool Open(List<InputDiagnostic> problems)
    {
        try
        {
            _stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new InputDiagnostic(new SourceLocation(Path), InputDiagnosticSeverity.Error, $"cannot read: {e.Message}"));
            return false;
        }

        if (!_started)
        {
            _started = true;
            if (_options.StartAtEnd)
            {
                SkipToEnd();
            }
        }

        return true;
    }

    /// <summary>Starts at the last complete line, counting the lines skipped so later locations stay right.</summary>
    private void SkipToEnd()
    {
        var buffer = new byte[81920];
        var end = 0L;
        _stream!.Position = 0;
        int read;
        while ((read = _stream.Read(buffer)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    _linesRead++;
                    end = _stream.Position - read + i + 1;
                }
            }
        }

        _offset = end;
        _fingerprint = Head(_stream, FingerprintBytes);
    }

    private void StartGeneration(FileStream? keep)
    {
        if (!ReferenceEquals(keep, _stream))
        {
            _stream?.Dispose();
        }

        _stream = keep;
        _offset = 0;
        _linesRead = 0;
        _fingerprint = [];
    }

    private bool StartsWithFingerprint(FileStream stream) =>
        stream.Length >= _fingerprint.Length && Head(stream, _fingerprint.Length).AsSpan().SequenceEqual(_fingerprint);

    /// <summary>True when the path now names another file than the one open (the open one being intact).</summary>
    private bool PathNamesAnotherFile()
    {
        try
        {
            using var current = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            if (current.Length == 0 || _fingerprint.Length == 0)
            {
                // Only one of them has content, so they cannot be the same file.
                return (current.Length == 0) != (_stream!.Length == 0);
            }

            var length = (int)Math.Min(_fingerprint.Length, current.Length);
            return !Head(current, length).AsSpan().SequenceEqual(_fingerprint.AsSpan(0, length));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Mid-rotation the path may briefly not exist; keep reading the open file.
            return false;
        }
    }

    private void ReadAppended(List<Observation> observations, List<InputDiagnostic> problems, List<InputSummary> inputs)
    {
        var stream = _stream!;
        if (_fingerprint.Length < FingerprintBytes && stream.Length > _fingerprint.Length)
        {
            _fingerprint = Head(stream, FingerprintBytes);
        }

        var available = stream.Length - _offset;
        if (available <= 0)
        {
            return;
        }

        var chunk = new byte[(int)Math.Min(available, _options.MaximumBytesPerPoll)];
        try
        {
            stream.Position = _offset;
            // The file may be truncated between the length check and the read; what was read is enough.
            var read = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            chunk = read == chunk.Length ? chunk : chunk[..read];
        }
        catch (IOException e)
        {
            problems.Add(new InputDiagnostic(new SourceLocation(Path), InputDiagnosticSeverity.Error, $"cannot read past line {_linesRead}: {e.Message}"));
            return;
        }
        var complete = Array.LastIndexOf(chunk, (byte)'\n') + 1;
        if (complete == 0)
        {
            if (chunk.Length < _options.MaximumBytesPerPoll)
            {
                return;
            }

            // One line longer than a whole poll: pass it on as it is rather than wait for ever.
            complete = chunk.Length;
        }

        var lines = chunk.AsSpan(0, complete).Count((byte)'\n');
        if (_reader is null && !Detect(chunk.AsSpan(0, complete)))
        {
            if (complete >= LineSource.MaximumLineBytes)
            {
                // Enough lines to know it is no log the readers know: say so once and skip them.
                problems.Add(new InputDiagnostic(new SourceLocation(Path), InputDiagnosticSeverity.Warning,
                    "not recognised as any artifact Gunicorn.Insights reads; skipped (name its kind explicitly to read it)"));
                _offset += complete;
                _linesRead += lines;
            }

            return;
        }

        var context = new ReadContext(Path, _options.Instance, _options.KnownParameters);
        var bytes = complete == chunk.Length ? chunk : chunk[..complete];
        try
        {
            _reader!.Read(LineSource.FromBytes(Path, bytes, _linesRead + 1), context);
        }
#pragma warning disable CA1031 // A reader's own bug must not stop the follower.
        catch (Exception e)
#pragma warning restore CA1031
        {
            context.Report(context.Lines + 1, InputDiagnosticSeverity.Error,
                $"the {_reader!.Kind} reader failed ({e.GetType().Name}: {e.Message}); the lines before were read. Please report this.");
        }

        _offset += complete;
        _linesRead += lines;
        observations.AddRange(context.Observations);
        problems.AddRange(context.Problems);
        inputs.Add(new InputSummary(Path, _reader.Kind)
        {
            Bytes = complete,
            Lines = lines,
            Observations = context.Observations.Count,
            FirstTimestamp = context.FirstTimestamp,
            LastTimestamp = context.LastTimestamp,
        });
    }

    /// <summary>Finds the reader for the file from its name and first lines; false while it is not recognised.</summary>
    private bool Detect(ReadOnlySpan<byte> firstLines)
    {
        var kind = _options.Kind ?? new ArtifactReaders(_options.Readers).Detect(Path, LineSource.FromBytes(Path, firstLines.ToArray()).Head());
        _reader = _options.Readers.FirstOrDefault(r => r.Kind == kind);
        return _reader is not null;
    }

    private static byte[] Head(FileStream stream, int count)
    {
        var position = stream.Position;
        stream.Position = 0;
        var head = new byte[(int)Math.Min(count, stream.Length)];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = position;
        return read == head.Length ? head : head[..read];
    }
}
