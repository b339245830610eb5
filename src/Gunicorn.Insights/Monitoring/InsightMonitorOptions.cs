namespace Gunicorn.Insights.Monitoring;

/// <summary>How an <see cref="InsightMonitor"/> ages what it has seen.</summary>
public sealed class InsightMonitorOptions
{
    /// <summary>The window applied when none is set: long enough to hold a burst of timeouts and the latency around it.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(15);

    private TimeSpan _window = DefaultWindow;

    /// <summary>
    /// How long an observation with a time counts: at an update at <c>now</c>, observations last seen before
    /// <c>now - Window</c> are retracted. Fifteen minutes by default.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive.</exception>
    public TimeSpan Window
    {
        get => _window;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _window = value;
        }
    }
}
