using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gunicorn.Insights.Readers.Accumulation;

/// <summary>
/// Counts events per minute with memory bounded by the minutes covered, and turns them into a <see cref="Observations.CountTimeline"/>
/// (per minute, or per hour when the span is longer than <see cref="MaximumMinuteIntervals"/> minutes).
/// </summary>
public sealed class TimelineAccumulator
{
    /// <summary>The most intervals of a minute kept before the timeline coarsens to hours (two weeks).</summary>
    public const int MaximumMinuteIntervals = 14 * 24 * 60;

    // Logs are mostly in time order: minutes after the last one are appended, only earlier ones need the dictionary.
    private readonly List<(long Minute, long Count)> _inOrder = [];
    private readonly Dictionary<long, long> _perMinute = [];

    // Consecutive events mostly share their minute: they are counted here and reach the dictionary when the minute changes.
    private long _pendingMinute = long.MinValue;
    private long _pendingCount;

    // The time last added to the pending minute: the same time again changes neither First nor Last.
    private long _pendingUtcTicks = -1;

    /// <summary>The earliest time added.</summary>
    public DateTimeOffset? First { get; private set; }

    /// <summary>The latest time added.</summary>
    public DateTimeOffset? Last { get; private set; }

    /// <summary>Adds one event at <paramref name="time"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(DateTimeOffset time)
    {
        if (_pendingCount > 0 && time.UtcTicks == _pendingUtcTicks)
        {
            _pendingCount++;
            return;
        }

        var minute = time.ToUnixTimeSeconds() / 60;
        if (minute != _pendingMinute)
        {
            Flush();
            _pendingMinute = minute;
        }

        _pendingCount++;
        _pendingUtcTicks = time.UtcTicks;
        if (First is null || time < First)
        {
            First = time;
        }

        if (Last is null || time > Last)
        {
            Last = time;
        }
    }

    /// <summary>The counts as a dense timeline, or null when nothing was added.</summary>
    public Observations.CountTimeline? ToTimeline()
    {
        Flush();
        if (_inOrder.Count == 0)
        {
            return null;
        }

        var firstMinute = _perMinute.Count == 0 ? _inOrder[0].Minute : Math.Min(_inOrder[0].Minute, _perMinute.Keys.Min());
        var lastMinute = _inOrder[^1].Minute;
        var perInterval = lastMinute - firstMinute + 1 > MaximumMinuteIntervals ? 60 : 1;
        var start = firstMinute / perInterval * perInterval;
        var counts = new long[(lastMinute / perInterval * perInterval - start) / perInterval + 1];
        foreach (var (minute, count) in _inOrder)
        {
            counts[(minute / perInterval * perInterval - start) / perInterval] += count;
        }

        foreach (var (minute, count) in _perMinute)
        {
            counts[(minute / perInterval * perInterval - start) / perInterval] += count;
        }

        return new Observations.CountTimeline(DateTimeOffset.FromUnixTimeSeconds(start * 60), TimeSpan.FromMinutes(perInterval), counts);
    }

    private void Flush()
    {
        if (_pendingCount == 0)
        {
            return;
        }

        if (_inOrder.Count == 0 || _pendingMinute > _inOrder[^1].Minute)
        {
            _inOrder.Add((_pendingMinute, _pendingCount));
        }
        else if (_pendingMinute == _inOrder[^1].Minute)
        {
            CollectionsMarshal.AsSpan(_inOrder)[^1].Count += _pendingCount;
        }
        else
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_perMinute, _pendingMinute, out _) += _pendingCount;
        }

        _pendingCount = 0;
    }
}
