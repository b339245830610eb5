using System.Globalization;

namespace Gunicorn.Insights.Benchmarks.Generation;

/// <summary>
/// Writes a Gunicorn 23.0 error log (sync workers, <c>loglevel = "debug"</c>, the application logging through
/// Gunicorn's handler) of a given size, the same bytes for the same seed: mostly ordinary lines, with rare worker
/// timeouts (<c>WORKER TIMEOUT</c>, <c>Worker exiting</c>, the doubled <c>exited with code 1</c>, <c>Booting worker</c>),
/// timeouts ending in <c>was sent SIGKILL!</c>, and request errors with a traceback, at realistic rates.
/// </summary>
public sealed class ErrorLogGenerator
{
    /// <summary>Signature lines a scan for these texts should count.</summary>
    public static readonly IReadOnlyList<string> SignatureTexts = ["WORKER TIMEOUT", "was sent SIGKILL", "Booting worker", "Worker exiting"];

    private const int MasterPid = 7657;
    private const int Workers = 9;

    // About one worker timeout per 20 000 lines and a SIGKILL per 60 000: a bad day, not a meltdown.
    private const double TimeoutRate = 1.0 / 20_000;
    private const double SigkillRate = 1.0 / 60_000;
    private const double TracebackRate = 1.0 / 100_000;

    private static readonly string[] Paths =
        ["/", "/api/items", "/api/items/{id}", "/api/orders/{id}", "/reports/monthly", "/search", "/static/app.js", "/healthz", "/login", "/cart"];

    private readonly Random _random;
    private readonly int[] _workers = new int[Workers];
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private DateTimeOffset _time = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private string _stamp = "";
    private DateTimeOffset _stampTime = DateTimeOffset.MinValue;
    private int _nextPid = MasterPid + 28;

    /// <summary>A generator whose output depends only on <paramref name="seed"/> and the size.</summary>
    public ErrorLogGenerator(int seed)
    {
        _random = new Random(seed);
        foreach (var text in SignatureTexts)
        {
            _counts[text] = 0;
        }
    }

    /// <summary>Writes at least <paramref name="bytes"/> bytes (whole lines) to <paramref name="output"/>.</summary>
    public GeneratedLog Write(Stream output, long bytes)
    {
        using var writer = new LogTextWriter(output);
        Line(writer, MasterPid, "INFO").Text("Starting gunicorn 23.0.0").EndLine();
        Line(writer, MasterPid, "INFO").Text("Listening at: http://127.0.0.1:8000 (").Number(MasterPid).Text(")").EndLine();
        Line(writer, MasterPid, "INFO").Text("Using worker: sync").EndLine();
        for (var i = 0; i < Workers; i++)
        {
            _workers[i] = Boot(writer);
        }

        while (writer.Bytes < bytes)
        {
            if (_random.Next(20) == 0)
            {
                _time = _time.AddSeconds(1);
            }

            var roll = _random.NextDouble();
            if (roll < TimeoutRate)
            {
                Timeout(writer, sigkill: false);
            }
            else if (roll < TimeoutRate + SigkillRate)
            {
                Timeout(writer, sigkill: true);
            }
            else if (roll < TimeoutRate + SigkillRate + TracebackRate)
            {
                Traceback(writer);
            }
            else
            {
                Ordinary(writer);
            }
        }

        return new GeneratedLog(writer.Bytes, writer.Lines, new Dictionary<string, long>(_counts));
    }

    private void Ordinary(LogTextWriter writer)
    {
        var pid = _workers[_random.Next(Workers)];
        var kind = _random.Next(100);
        if (kind < 70)
        {
            Line(writer, pid, "INFO").Text("app.request method=GET path=").Text(PathOf(_random.Next(Paths.Length))).Text(" status=200 duration_ms=")
                .Number(5 + _random.Next(400)).Text(" user=").Number(_random.Next(100_000)).EndLine();
        }
        else if (kind < 85)
        {
            Line(writer, pid, "DEBUG").Text("app.cache hit key=item:").Number(_random.Next(50_000)).Text(" ttl=").Number(_random.Next(3600)).EndLine();
        }
        else if (kind < 95)
        {
            Line(writer, pid, "WARNING").Text("app.db slow query took ").Number(200 + _random.Next(3000)).Text("ms table=orders rows=")
                .Number(_random.Next(10_000)).EndLine();
        }
        else if (kind < 99)
        {
            Line(writer, pid, "DEBUG").Text("Ignoring EPIPE").EndLine();
        }
        else
        {
            Line(writer, pid, "WARNING").Text("Invalid request from ip=10.0.").Number(_random.Next(256)).Text(".").Number(_random.Next(256))
                .Text(": Invalid HTTP request line: ''").EndLine();
        }
    }

    private void Timeout(LogTextWriter writer, bool sigkill)
    {
        var slot = _random.Next(Workers);
        var pid = _workers[slot];
        Line(writer, MasterPid, "CRITICAL").Text("WORKER TIMEOUT (pid:").Number(pid).Text(")").EndLine();
        Count("WORKER TIMEOUT");
        _time = _time.AddSeconds(1);
        if (sigkill)
        {
            Line(writer, MasterPid, "ERROR").Text("Worker (pid:").Number(pid).Text(") was sent SIGKILL! Perhaps out of memory?").EndLine();
            Count("was sent SIGKILL");
        }
        else
        {
            Line(writer, pid, "INFO").Text("Worker exiting (pid: ").Number(pid).Text(")").EndLine();
            Count("Worker exiting");
            Line(writer, MasterPid, "ERROR").Text("Worker (pid:").Number(pid).Text(") exited with code 1").EndLine();
            Line(writer, MasterPid, "ERROR").Text("Worker (pid:").Number(pid).Text(") exited with code 1.").EndLine();
        }

        _workers[slot] = Boot(writer);
    }

    private void Traceback(LogTextWriter writer)
    {
        var pid = _workers[_random.Next(Workers)];
        Line(writer, pid, "ERROR").Text("Error handling request /reports/monthly").EndLine();
        writer.Text("Traceback (most recent call last):").EndLine();
        writer.Text("  File \"/usr/lib/python3/dist-packages/gunicorn/workers/sync.py\", line 134, in handle").EndLine();
        writer.Text("    self.handle_request(listener, req, client, addr)").EndLine();
        writer.Text("  File \"/srv/app/reports/views.py\", line ").Number(40 + _random.Next(60)).Text(", in monthly").EndLine();
        writer.Text("    rows = cursor.fetchall()").EndLine();
        writer.Text("OSError: [Errno 104] Connection reset by peer").EndLine();
    }

    private int Boot(LogTextWriter writer)
    {
        var pid = _nextPid++;
        Line(writer, pid, "INFO").Text("Booting worker with pid: ").Number(pid).EndLine();
        Count("Booting worker");
        return pid;
    }

    private LogTextWriter Line(LogTextWriter writer, int pid, string level)
    {
        if (_time != _stampTime)
        {
            _stampTime = _time;
            _stamp = _time.ToString("'['yyyy'-'MM'-'dd HH':'mm':'ss' +0000] ['", CultureInfo.InvariantCulture);
        }

        return writer.Text(_stamp).Number(pid).Text("] [").Text(level).Text("] ");
    }

    private string PathOf(int index) =>
        Paths[index].Replace("{id}", _random.Next(1, 400).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private void Count(string text) => _counts[text]++;
}
