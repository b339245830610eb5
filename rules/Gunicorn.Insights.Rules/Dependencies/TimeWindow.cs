namespace Gunicorn.Insights.Rules.Dependencies;

/// <summary>Whether facts with times belong to the same incident; facts without times are never excluded.</summary>
internal static class TimeWindow
{
    /// <summary>
    /// True when [<paramref name="start"/>, <paramref name="end"/>] comes within <paramref name="window"/> of
    /// [<paramref name="first"/>, <paramref name="last"/>], or when either side has no time.
    /// </summary>
    public static bool Near(DateTimeOffset? start, DateTimeOffset? end, DateTimeOffset? first, DateTimeOffset? last, TimeSpan window) =>
        start is not { } from || first is not { } incidentStart
        || ((end ?? from) >= incidentStart - window && from <= (last ?? incidentStart) + window);

    /// <summary>The span covered by <paramref name="times"/>, or nulls when none is known.</summary>
    public static (DateTimeOffset? First, DateTimeOffset? Last) Span(IEnumerable<DateTimeOffset?> times)
    {
        var known = times.OfType<DateTimeOffset>().ToArray();
        return known.Length == 0 ? (null, null) : (known.Min(), known.Max());
    }
}
