using System.Globalization;

namespace Gunicorn.Insights.Benchmarks.Generation;

/// <summary>
/// Writes a Gunicorn access log in the format its <see cref="Configuration"/> declares — the combined format plus the
/// request time in seconds (<c>rt=%(L)s</c>) and a busy-worker header (<c>busy=%({x-busy}i)s</c>, "busy/total") —
/// the same bytes for the same seed: log-normal durations, a few hundred distinct paths, 404s and rare 500/502/504s.
/// </summary>
public sealed class AccessLogGenerator
{
    /// <summary>The <c>gunicorn.conf.py</c> the log was written with; readers take the format from it.</summary>
    public const string Configuration = """
        # gunicorn.conf.py of the generated benchmark host (9 sync workers)
        bind = "127.0.0.1:8000"
        workers = 9
        worker_class = "sync"
        timeout = 30
        accesslog = "/var/log/gunicorn/access.log"
        access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" rt=%(L)s busy=%({x-busy}i)s'
        errorlog = "/var/log/gunicorn/error.log"

        """;

    private const int Workers = 9;

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    // Path templates with their typical duration (median seconds); {id} expands to one of 400 ids.
    private static readonly (string Path, double Median)[] Routes =
    [
        ("/", 0.02), ("/api/items", 0.04), ("/api/items/{id}", 0.03), ("/api/orders/{id}", 0.08), ("/reports/monthly", 0.9),
        ("/search", 0.15), ("/static/app.js", 0.003), ("/healthz", 0.001), ("/login", 0.06), ("/cart", 0.05),
    ];

    private static readonly string[] Agents =
    [
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
        "kube-probe/1.30",
        "python-requests/2.32.3",
    ];

    private readonly Random _random;
    private readonly long[] _statusClasses = new long[6];
    private DateTimeOffset _time = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private string _stamp = "";
    private DateTimeOffset _stampTime = DateTimeOffset.MinValue;

    /// <summary>A generator whose output depends only on <paramref name="seed"/> and the size.</summary>
    public AccessLogGenerator(int seed) => _random = new Random(seed);

    /// <summary>Writes at least <paramref name="bytes"/> bytes (whole lines) to <paramref name="output"/>.</summary>
    public GeneratedLog Write(Stream output, long bytes)
    {
        using var writer = new LogTextWriter(output);
        double totalSeconds = 0;
        while (writer.Bytes < bytes)
        {
            // About 50 requests a second.
            if (_random.Next(50) == 0)
            {
                _time = _time.AddSeconds(1);
            }

            var (template, median) = Routes[_random.Next(Routes.Length)];
            var status = Status();
            var seconds = Math.Min(120, median * Math.Exp(0.8 * Normal()) * (status >= 500 ? 20 : 1));
            totalSeconds += Math.Round(seconds * 1_000_000) / 1_000_000;
            var busy = Math.Min(Workers, (int)(_random.NextDouble() * _random.NextDouble() * (Workers + 1)));

            writer.Text("10.0.").Number(_random.Next(256)).Text(".").Number(_random.Next(256)).Text(" - - ").Text(Stamp())
                .Text(" \"").Text(_random.Next(10) == 0 ? "POST " : "GET ");
            if (template.EndsWith("{id}", StringComparison.Ordinal))
            {
                writer.Text(template[..^"{id}".Length]).Number(_random.Next(1, 400));
            }
            else
            {
                writer.Text(template);
            }

            writer.Text(" HTTP/1.1\" ").Number(status).Text(" ").Number(status == 302 ? 0 : 200 + _random.Next(20_000))
                .Text(" \"-\" \"").Text(Agents[_random.Next(Agents.Length)]).Text("\" rt=").Seconds(seconds)
                .Text(" busy=").Number(busy).Text("/").Number(Workers).EndLine();
            _statusClasses[status / 100]++;
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal) { ["rt seconds (rounded)"] = (long)Math.Round(totalSeconds) };
        for (var i = 2; i < _statusClasses.Length; i++)
        {
            counts[$"{i}xx"] = _statusClasses[i];
        }

        return new GeneratedLog(writer.Bytes, writer.Lines, counts);
    }

    private int Status()
    {
        var roll = _random.Next(10_000);
        return roll switch
        {
            < 30 => 500,
            < 40 => 502,
            < 45 => 504,
            < 245 => 404,
            < 345 => 302,
            _ => 200,
        };
    }

    private double Normal()
    {
        // Box–Muller; 1 - NextDouble() keeps the logarithm's argument above zero.
        var u = 1.0 - _random.NextDouble();
        var v = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    private string Stamp()
    {
        if (_time != _stampTime)
        {
            _stampTime = _time;
            _stamp = string.Create(CultureInfo.InvariantCulture,
                $"[{_time.Day:00}/{Months[_time.Month - 1]}/{_time.Year}:{_time.Hour:00}:{_time.Minute:00}:{_time.Second:00} +0000]");
        }

        return _stamp;
    }
}
