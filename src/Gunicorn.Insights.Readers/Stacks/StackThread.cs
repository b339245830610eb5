namespace Gunicorn.Insights.Readers.Stacks;

/// <summary>One thread of a dumped process: its id, name and state as the dump shows them, and its frames, innermost first.</summary>
internal sealed class StackThread(string id, string? name, string? status, bool isCurrent, long line)
{
    /// <summary>The most frames kept per thread (py-spy stops at 4096).</summary>
    public const int MaximumFrames = 256;

    /// <summary>The thread id as printed (<c>7685</c>, <c>0x7F3A2B4C5740</c>).</summary>
    public string Id { get; } = id;

    /// <summary>The thread's name (<c>MainThread</c>), when shown.</summary>
    public string? Name { get; } = name;

    /// <summary>py-spy's state (<c>active+gil</c>, <c>active</c>, <c>idle</c>), when shown.</summary>
    public string? Status { get; } = status;

    /// <summary>True for faulthandler's <c>Current thread</c>.</summary>
    public bool IsCurrent { get; } = isCurrent;

    /// <summary>The line of the thread's header.</summary>
    public long Line { get; } = line;

    /// <summary>The frames, innermost first, as <c>function (file:line)</c>.</summary>
    public List<string> Frames { get; } = [];

    /// <summary>Frames dropped over <see cref="MaximumFrames"/>.</summary>
    public int Dropped { get; private set; }

    /// <summary>How strongly the thread shows where the process is: active with the GIL, active, then the main thread.</summary>
    public int Rank => (IsCurrent ? 8 : 0) + Status switch
    {
        "active+gil" => 6,
        "active" => 4,
        "gil" => 2,
        _ => 0,
    } + (Name == "MainThread" ? 1 : 0);

    /// <summary>Adds a frame below the ones read so far (the dumps print the innermost first).</summary>
    public void Add(string frame)
    {
        if (Frames.Count < MaximumFrames)
        {
            Frames.Add(frame);
        }
        else
        {
            Dropped++;
        }
    }

    /// <summary>The header of this thread's frames when it follows another thread's in a snapshot.</summary>
    public string Marker() =>
        $"--- thread {Id}{(Name is null ? "" : $" \"{Name}\"")}{(Status is null ? "" : $" ({Status})")} ---";

    /// <summary>
    /// The frames of a process: the primary thread's (highest <see cref="Rank"/>, the first on a tie) innermost first, then
    /// every other thread's after a <see cref="Marker"/> line, in the dump's order, at most <see cref="MaximumFrames"/> × 4 in all.
    /// </summary>
    public static (StackThread Primary, List<string> Frames) Compose(IReadOnlyList<StackThread> threads)
    {
        var primary = threads[0];
        foreach (var thread in threads)
        {
            if (thread.Rank > primary.Rank)
            {
                primary = thread;
            }
        }

        var frames = new List<string>(primary.Frames);
        foreach (var thread in threads)
        {
            if (ReferenceEquals(thread, primary) || frames.Count >= MaximumFrames * 4)
            {
                continue;
            }

            frames.Add(thread.Marker());
            frames.AddRange(thread.Frames.Take(MaximumFrames * 4 - frames.Count));
        }

        return (primary, frames);
    }
}
