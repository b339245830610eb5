using System.Runtime.InteropServices;

namespace Gunicorn.Insights.Cli.Watching;

/// <summary>
/// Turns Ctrl-C (SIGINT) and SIGTERM into a cancellation, so that a watch that is asked to stop ends its round, flushes
/// and exits 0 like any finished run, instead of being killed with 130 or 143.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration[] _registrations;

    public StopSignals(CancellationTokenSource stop)
    {
        _stop = stop;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void Handle(PosixSignalContext context)
    {
        // The process stays alive; the loop sees the cancellation and returns.
        context.Cancel = true;
        _stop.Cancel();
    }
}
