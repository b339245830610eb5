namespace Gunicorn.Insights.Observations.Hosts;

/// <summary>
/// A mounted filesystem (a line of <c>/proc/mounts</c> or <c>df -T</c>). Rules use it to tell whether
/// <c>worker_tmp_dir</c> is memory-backed: Gunicorn's worker heartbeat updates a file there on every beat.
/// </summary>
public sealed record FilesystemMount : Observation
{
    private static readonly HashSet<string> MemoryBacked = new(StringComparer.Ordinal) { "tmpfs", "ramfs", "devtmpfs" };

    /// <summary>Creates a mount read at <paramref name="source"/>.</summary>
    public FilesystemMount(string mountPoint, string filesystemType, SourceLocation source)
        : base(source)
    {
        ArgumentException.ThrowIfNullOrEmpty(mountPoint);
        ArgumentException.ThrowIfNullOrEmpty(filesystemType);
        MountPoint = mountPoint;
        FilesystemType = filesystemType;
    }

    /// <summary>Where it is mounted, e.g. <c>/dev/shm</c>.</summary>
    public string MountPoint { get; init; }

    /// <summary>The filesystem type, e.g. <c>tmpfs</c>, <c>ext4</c>, <c>overlay</c>.</summary>
    public string FilesystemType { get; init; }

    /// <summary>True for filesystems held in memory (tmpfs, ramfs), where metadata updates never wait for a disk.</summary>
    public bool IsMemoryBacked => MemoryBacked.Contains(FilesystemType);

    /// <summary>The mount that holds <paramref name="path"/>: the one with the longest mount point that contains it.</summary>
    public static FilesystemMount? Containing(string path, IEnumerable<FilesystemMount> mounts)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(mounts);
        return mounts
            .Where(m => m.Contains(path))
            .OrderByDescending(m => m.MountPoint.Length)
            .FirstOrDefault();
    }

    /// <inheritdoc />
    public override string Describe() => $"{MountPoint} is {FilesystemType}{(IsMemoryBacked ? " (memory-backed)" : "")}";

    private bool Contains(string path)
    {
        var mount = MountPoint.TrimEnd('/');
        return mount.Length == 0
            || path == mount
            || (path.StartsWith(mount, StringComparison.Ordinal) && path.Length > mount.Length && path[mount.Length] == '/');
    }
}
