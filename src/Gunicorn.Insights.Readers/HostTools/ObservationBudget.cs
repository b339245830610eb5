using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>
/// Caps the samples one input may add (a <c>vmstat 1</c> left running for a week, <c>top -b</c> in a loop), so memory stays
/// bounded; the first sample over the cap is reported once.
/// </summary>
internal sealed class ObservationBudget(ReadContext context, int maximum)
{
    private int _used;

    /// <summary>True while samples may still be added; reports the cap the first time it is reached.</summary>
    public bool Take(long line, string what)
    {
        if (_used < maximum)
        {
            _used++;
            return true;
        }

        if (_used++ == maximum)
        {
            context.Warn(line, $"more than {maximum} samples in this input; this and later {what} samples were not read");
        }

        return false;
    }
}
