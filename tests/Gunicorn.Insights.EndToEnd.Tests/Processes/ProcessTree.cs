using System.Globalization;

namespace Gunicorn.Insights.EndToEnd.Tests.Processes;

/// <summary>
/// The processes descending from one pid (Gunicorn's workers, nginx's workers), each remembered with its start time so
/// that a pid the kernel has since given to another process is never signalled.
/// </summary>
internal sealed class ProcessTree
{
    private readonly Dictionary<int, long> _members = [];

    /// <summary>Adds the living descendants of <paramref name="root"/> to the tree.</summary>
    public void AddDescendantsOf(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ProcessSignals.Stat(pid) is { } stat)
            {
                if (!children.TryGetValue(stat.ParentPid, out var list))
                {
                    children[stat.ParentPid] = list = [];
                }

                list.Add(pid);
            }
        }

        var pending = new Stack<int>([root]);
        while (pending.Count > 0)
        {
            foreach (var child in children.GetValueOrDefault(pending.Pop()) ?? [])
            {
                if (ProcessSignals.Stat(child) is { } stat)
                {
                    _members[child] = stat.StartTime;
                    pending.Push(child);
                }
            }
        }
    }

    /// <summary>The members still running as the processes they were when added.</summary>
    public IReadOnlyList<int> Living() =>
        [.. _members.Where(m => ProcessSignals.Stat(m.Key) is { } stat && stat.StartTime == m.Value && stat.State != 'Z').Select(m => m.Key)];
}
