using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Cli.Watching;

/// <summary>
/// A configuration file under watch: read whole again whenever its size or modification time changes, since an edit
/// rewrites it rather than appending to it. The monitor replaces the previous reading with the new one.
/// </summary>
internal sealed class WatchedConfiguration(ArtifactRequest request)
{
    private (long Length, DateTime Written)? _seen;

    public ArtifactRequest Request { get; } = request;

    /// <summary>The new reading when the file changed since the last call, else null.</summary>
    public ReadResult? ReadIfChanged()
    {
        var info = new FileInfo(Request.Path);
        (long, DateTime)? now = info.Exists ? (info.Length, info.LastWriteTimeUtc) : null;
        if (now is null || now == _seen)
        {
            return null;
        }

        _seen = now;
        return BuiltInReaders.Create().Read([Request]);
    }
}
