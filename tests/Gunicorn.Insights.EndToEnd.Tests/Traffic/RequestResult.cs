namespace Gunicorn.Insights.EndToEnd.Tests.Traffic;

/// <summary>One request as the client saw it.</summary>
/// <param name="Path">The path and query asked for.</param>
/// <param name="Status">The HTTP status, or 0 when no response came (connection closed or reset, timeout).</param>
/// <param name="Started">When it was sent, from the start of the load.</param>
/// <param name="Elapsed">How long the client waited for the whole response.</param>
/// <param name="Error">Why no response came, when none did.</param>
internal sealed record RequestResult(string Path, int Status, TimeSpan Started, TimeSpan Elapsed, string? Error = null);
