using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Nginx;

/// <summary>
/// Reads nginx's error log (<c>2026/11/23 23:45:22 [error] 31#31: *4 upstream prematurely closed connection …</c>) into
/// log signatures of the upstream failures a Gunicorn diagnosis needs, with their times and up to three example lines
/// (credentials masked, errno text kept):
/// <list type="bullet">
/// <item><see cref="Observations.Logs.LogSignatureKind.UpstreamPrematurelyClosed"/>: <c>upstream prematurely closed
/// connection</c>, and <c>recv() failed (104: Connection reset by peer) while reading response header from upstream</c>
/// (the same event — the worker's socket closed before a response — ending in a reset instead of an end of file).</item>
/// <item><see cref="Observations.Logs.LogSignatureKind.UpstreamTimedOut"/>: <c>upstream timed out (110: Connection timed
/// out) while reading response header from upstream</c> (or while reading/sending the body): a proxy timeout.</item>
/// <item><see cref="Observations.Logs.LogSignatureKind.UpstreamConnectFailed"/>: <c>connect() to … failed (11: Resource
/// temporarily unavailable)</c> (a full unix-socket backlog), <c>(111: Connection refused)</c>, <c>(99: Cannot assign
/// requested address)</c>, …, and <c>upstream timed out … while connecting to upstream</c> (a full TCP backlog: the
/// connect, not the read, timed out).</item>
/// </list>
/// Every line is also counted per level (a <see cref="Observations.Metrics.Counter"/> <c>nginx_error_log_lines</c> with a
/// <c>level</c> label, over the time the lines span), and the start-up line <c>nginx/1.25.3</c> gives the nginx
/// <see cref="Observations.Hosts.SoftwareVersion"/>. nginx writes local time without a zone; it is taken as UTC. The
/// signatures name no pids (nginx's pids are not Gunicorn workers). Access-log lines interleaved with the error lines
/// (a container's output) are read as the access-log reader reads them.
/// </summary>
public sealed class NginxErrorLogReader : IArtifactReader
{
    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.NginxErrorLog;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(head);
        var errorLines = 0;
        var accessLines = 0;
        var upstreamWords = 0;
        foreach (var line in head)
        {
            var text = GunicornLogs.LogEnvelope.Unwrap(line).Text;
            if (NginxLogState.LooksLikeErrorLine(line) || NginxLogState.LooksLikeErrorLine(text))
            {
                errorLines++;
                upstreamWords += text.Contains("upstream", StringComparison.Ordinal) ? 1 : 0;
            }
            else if (NginxLogState.LooksLikeAccessLine(text, out _))
            {
                accessLines++;
            }
        }

        if (errorLines == 0 || accessLines > errorLines * 2)
        {
            // Mostly access lines: the access-log reader reads the interleaved error lines too.
            return 0;
        }

        var named = fileName.Contains("nginx", StringComparison.OrdinalIgnoreCase) ? 20 : 0;
        named += fileName.Contains("error", StringComparison.OrdinalIgnoreCase) ? 10 : 0;
        return Math.Min(100, 55 + Math.Min(errorLines, 5) * 3 + Math.Min(upstreamWords, 3) * 5 + named);
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var state = new NginxLogState(context, accessLog: false);
        source.ForEachLine(context, (bytes, number) => state.Line(context.Text(bytes, number), number));
        state.Finish();
    }
}
