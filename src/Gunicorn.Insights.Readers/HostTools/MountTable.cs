using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>
/// The mounts an input lists, one per mount point (a later line for the same mount point, e.g. <c>df -T</c> after
/// <c>/proc/mounts</c>, or an over-mount, replaces the earlier one), capped at <see cref="MaximumMounts"/>, added as
/// <see cref="FilesystemMount"/>s in order of first appearance when the input ends.
/// </summary>
internal sealed class MountTable(ReadContext context)
{
    /// <summary>The most mount points kept per input (a Kubernetes node can list thousands).</summary>
    public const int MaximumMounts = 4096;

    private readonly Dictionary<string, (string Type, long Line, int Order)> _mounts = new(StringComparer.Ordinal);
    private bool _reportedCap;

    /// <summary>Records a mount; reports a mount point or type that cannot be one.</summary>
    public void Add(string mountPoint, string type, long line)
    {
        if (mountPoint.Length is 0 or > 4096 || mountPoint[0] != '/' || type.Length is 0 or > 64 || type.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            context.Warn(line, $"'{HostText.Truncate(mountPoint, 60)}' of type '{HostText.Truncate(type, 20)}' is not a mount point and filesystem type; skipped");
            return;
        }

        if (_mounts.TryGetValue(mountPoint, out var earlier))
        {
            _mounts[mountPoint] = (type, line, earlier.Order);
            return;
        }

        if (_mounts.Count >= MaximumMounts)
        {
            if (!_reportedCap)
            {
                _reportedCap = true;
                context.Warn(line, $"more than {MaximumMounts} mount points; this and later ones were not read");
            }

            return;
        }

        _mounts[mountPoint] = (type, line, _mounts.Count);
    }

    /// <summary>Adds the mounts as observations.</summary>
    public void Finish()
    {
        foreach (var (mountPoint, (type, line, _)) in _mounts.OrderBy(m => m.Value.Order))
        {
            context.Add(new FilesystemMount(mountPoint, type, context.At(line)));
        }
    }
}
