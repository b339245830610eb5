using System.Runtime.CompilerServices;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.AccessLogs;

/// <summary>
/// Keeps at most <c>capacity</c> busy-worker samples of one input, thinned evenly: when the list is full every other
/// kept sample goes and from then on only every 2nd (4th, 8th…) is taken. Samples at full capacity and the others are
/// counted separately and thinned at the same ratio, so the first sample at full capacity is always kept, full ones are
/// spread over the whole log like the rest, and the share of samples at full capacity (what the saturation rule reads)
/// stays what the log shows.
/// </summary>
internal sealed class BusySamples(int capacity)
{
    private readonly List<Sample> _kept = [];
    private long _fullSeen;
    private long _otherSeen;
    private long _stride = 1;

    /// <summary>All samples seen, kept or not.</summary>
    public long Seen => _fullSeen + _otherSeen;

    /// <summary>Offers one sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(int busy, int total, long line, DateTimeOffset? time)
    {
        var full = busy >= total;
        var ordinal = full ? _fullSeen++ : _otherSeen++;
        if (ordinal % _stride != 0)
        {
            return;
        }

        _kept.Add(new Sample(busy, total, line, time, ordinal));
        while (_kept.Count > capacity)
        {
            _stride *= 2;
            _kept.RemoveAll(s => s.Ordinal % _stride != 0);
        }
    }

    /// <summary>The kept samples as observations, in line order.</summary>
    public IEnumerable<WorkerUtilization> ToObservations(ReadContext context) =>
        _kept.Select(s => new WorkerUtilization(s.Busy, s.Total, context.At(s.Line)) { Timestamp = s.Time });

    private readonly record struct Sample(int Busy, int Total, long Line, DateTimeOffset? Time, long Ordinal);
}
