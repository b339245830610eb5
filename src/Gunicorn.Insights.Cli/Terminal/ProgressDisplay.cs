using System.Diagnostics;
using System.Globalization;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Cli.Terminal;

/// <summary>
/// A one-line progress display on a terminal's stderr while inputs are read: file, bytes and lines read, rate. It
/// appears only when reading takes longer than a moment, and it erases itself when reading ends.
/// </summary>
internal sealed class ProgressDisplay : IDisposable
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private readonly TextWriter _error;
    private readonly ReadProgress _progress;
    private readonly Func<string, string> _display;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer _timer;
    private readonly object _gate = new();
    private int _shownWidth;
    private bool _disposed;

    public ProgressDisplay(TextWriter error, ReadProgress progress, Func<string, string> display)
    {
        _error = error;
        _progress = progress;
        _display = display;
        _timer = new Timer(_ => Render(), null, Delay, Interval);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _timer.Dispose();
            if (_shownWidth > 0)
            {
                _error.Write("\r" + new string(' ', _shownWidth) + "\r");
                _error.Flush();
            }
        }
    }

    /// <summary>The line shown for the current state.</summary>
    internal static string Line(ReadProgress progress, TimeSpan elapsed, Func<string, string> display)
    {
        var bytes = progress.BytesRead;
        var rate = elapsed.TotalSeconds > 0 ? bytes / elapsed.TotalSeconds : 0;
        var file = progress.CurrentFile is { } current ? Path.GetFileName(display(current)) : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"reading {progress.FilesDone + (file.Length > 0 ? 1 : 0)}/{progress.FilesTotal} {file}  {Size(bytes)} of {Size(progress.BytesOnDisk)}  {progress.LinesRead:N0} lines  {Size(rate)}/s");
    }

    private static string Size(double bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 10):0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B"),
    };

    private void Render()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var line = Line(_progress, _clock.Elapsed, _display);
            var padded = line.Length < _shownWidth ? line + new string(' ', _shownWidth - line.Length) : line;
            _error.Write("\r" + padded);
            _error.Flush();
            _shownWidth = Math.Max(_shownWidth, line.Length);
        }
    }
}
