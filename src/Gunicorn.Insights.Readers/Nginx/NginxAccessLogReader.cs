using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Nginx;

/// <summary>
/// Reads nginx's access log: the predefined <c>combined</c> format, any <c>log_format</c> of an nginx configuration read
/// earlier in the batch (the one an <c>access_log</c> directive names for a file of this name first, then the others),
/// and the common extensions of <c>combined</c> with <c>$request_time</c> and <c>$upstream_response_time</c>
/// (<c>rt=… urt="…"</c>, or bare numbers after the combined fields).
/// </summary>
/// <remarks>
/// Produces: a <see cref="Observations.Requests.TrafficSummary"/> of all requests (logger <c>nginx</c>, counts per
/// status, first and last time, per-minute timeline), one per path (query removed) for the 200 busiest paths and one
/// <c>(other)</c> for the rest; a <see cref="Observations.Metrics.RequestDurationHistogram"/>
/// <c>nginx_request_time_seconds</c> from <c>$request_time</c> and <c>nginx_upstream_response_time_seconds</c> from
/// <c>$upstream_response_time</c> (a list of retries such as <c>0.5, 0.1</c> is summed; <c>-</c> adds nothing); and
/// <see cref="Observations.Logs.LogSignatureKind.Http500"/>/<c>Http502</c>/<c>Http504</c> signatures with example lines.
/// Error-log lines interleaved with the access lines (a container's output) are read as the error-log reader reads
/// them. A line matching no format is reported with its number and skipped.
/// </remarks>
public sealed class NginxAccessLogReader : IArtifactReader
{
    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.NginxAccessLog;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(head);
        if (fileName.Contains("gunicorn", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        var accessLines = 0;
        var timedLines = 0;
        var errorLines = 0;
        foreach (var line in head)
        {
            var text = GunicornLogs.LogEnvelope.Unwrap(line).Text;
            if (NginxLogState.LooksLikeAccessLine(line, out var timings) || NginxLogState.LooksLikeAccessLine(text, out timings))
            {
                accessLines++;
                timedLines += timings ? 1 : 0;
            }
            else if (NginxLogState.LooksLikeErrorLine(text))
            {
                errorLines++;
            }
        }

        var named = fileName.Contains("nginx", StringComparison.OrdinalIgnoreCase);
        if (accessLines == 0 || errorLines > accessLines * 2)
        {
            return 0;
        }

        // Gunicorn's default access_log_format is nginx's combined format, so without the name or nginx's timing
        // fields the content alone says little.
        var score = 45 + Math.Min(accessLines, 5);
        score += named ? 35 : 0;
        score += timedLines > 0 ? 30 : 0;
        score += fileName.Contains("access", StringComparison.OrdinalIgnoreCase) ? 5 : 0;
        return Math.Min(100, score);
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var state = new NginxLogState(context, accessLog: true);
        source.ForEachLine(context, (bytes, number) => state.Line(context.Text(bytes, number), number));
        state.Finish();
    }
}
