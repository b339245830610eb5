using System.Globalization;
using System.Text;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.AccessLogs;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Tests.AccessLogs;

/// <summary>Reading lines from their bytes must give exactly what reading every line as text gives.</summary>
public sealed class AccessLogByteReadingTests
{
    private const string SeedFormat = "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\" rt=%(L)s busy=%({x-busy}i)s";

    private static readonly string[] Agents = ["curl/8.5", "Mozilla/5.0 (X11; Linux x86_64)", "kube-probe/1.30", "Agent \\\"quoted\\\"", "caf\u00e9-client"];

    private static ConfigParameter Setting(string name, SettingValue value, int line) =>
        new(ConfigurationScope.Gunicorn, name, value, SettingOrigin.ConfigurationFile, new SourceLocation("gunicorn.conf.py", line));

    private static ReadContext Read(string text, bool textOnly, IReadOnlyList<ConfigParameter> known, bool oneThread = false)
    {
        var context = new ReadContext("generated.log", knownParameters: known);
        new GunicornAccessLogReader { TextOnly = textOnly, OneThread = oneThread }.Read(LineSource.FromBytes("generated.log", Encoding.UTF8.GetBytes(text)), context);
        return context;
    }

    /// <summary>A few thousand lines: mostly plain ones over thousands of paths, with the odd lines of real logs mixed in.</summary>
    private static (string Text, int Requests) Log(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        var time = new DateTimeOffset(2026, 11, 23, 22, 0, 0, TimeSpan.Zero);
        var requests = 0;
        for (var i = 0; i < 12_000; i++)
        {
            time = time.AddSeconds(random.Next(3));
            var stamp = (random.Next(200) == 0 ? time.AddSeconds(-90) : time).ToString("[dd/MMM/yyyy:HH:mm:ss +0000]", CultureInfo.InvariantCulture);
            var path = random.Next(20) switch
            {
                0 => "/healthz",
                1 => "/search?q=" + random.Next(100),
                2 => "/docs#part" + random.Next(3),
                3 => "/token=" + random.Next(10),
                4 => "/very/" + new string('x', 300),
                5 => "/caf\u00e9/" + random.Next(5),
                _ => "/items/" + random.Next(2_600),
            };
            var status = random.Next(100) switch
            {
                0 => 500,
                1 => 502,
                2 => 504,
                < 10 => 404,
                _ => 200,
            };
            var busy = random.Next(40) switch
            {
                0 => "-",
                1 => "3",
                2 => "many",
                _ => $"{random.Next(10)}/9",
            };
            var seconds = Math.Exp(random.NextDouble() * 10 - 8).ToString("0.000000", CultureInfo.InvariantCulture);
            var line = $"10.0.{random.Next(4)}.{random.Next(256)} - - {stamp} \"GET {path} HTTP/1.1\" {status} {random.Next(9_999)} \"-\" \"{Agents[random.Next(Agents.Length)]}\" rt={seconds} busy={busy}";
            switch (random.Next(150))
            {
                case 0:
                    text.Append("[2026-11-23 22:00:00 +0000] [42] [ERROR] Error handling request /items/1\n");
                    continue;
                case 1:
                    text.Append('\n');
                    continue;
                case 2:
                    text.Append("{\"log\":\"").Append(line.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\\n\",\"stream\":\"stdout\"}\n");
                    requests++;
                    continue;
                case 3:
                    text.Append("garbage ").Append(i).Append('\n');
                    continue;
                case 4:
                    text.Append(line.Replace("rt=", "rt=x", StringComparison.Ordinal)).Append('\n');
                    continue;
                case 5:
                    text.Append(line.Replace(stamp, "[01/Jan/1901:00:00:00 +0000]", StringComparison.Ordinal)).Append('\n');
                    requests++;
                    continue;
            }

            text.Append(line).Append(random.Next(30) == 0 ? "\r\n" : "\n");
            requests++;
        }

        return (text.ToString(), requests);
    }

    [Theory]
    [InlineData(1, true, false)]
    [InlineData(2, true, true)]
    [InlineData(3, false, false)]
    [InlineData(5, false, true)]
    public void Reading_from_bytes_gives_the_observations_problems_and_times_of_reading_text(int seed, bool workersKnown, bool oneThread)
    {
        var (text, requests) = Log(seed);
        List<ConfigParameter> known = [Setting("access_log_format", SettingValue.FromText(SeedFormat), 7)];
        if (workersKnown)
        {
            known.Add(Setting("workers", SettingValue.Integer(9), 3));
        }

        var fromText = Read(text, textOnly: true, known);
        var fromBytes = Read(text, textOnly: false, known, oneThread);

        fromText.Observations.OfType<TrafficSummary>().Single(s => s.Path is null).Requests.Should().Be(requests);
        fromText.Observations.OfType<TrafficSummary>().Should().Contain(s => s.Path == GunicornAccessLogReader.OtherPath);
        fromText.Observations.OfType<LogSignature>().Should().HaveCount(3);
        fromText.Observations.OfType<WorkerUtilization>().Should().NotBeEmpty();
        fromText.Problems.Should().Contain(p => p.Message.Contains("years away", StringComparison.Ordinal));
        fromBytes.Observations.Should().BeEquivalentTo(fromText.Observations, o => o.RespectingRuntimeTypes().WithStrictOrdering());
        fromBytes.Problems.Should().BeEquivalentTo(fromText.Problems, o => o.WithStrictOrdering());
        fromBytes.FirstTimestamp.Should().Be(fromText.FirstTimestamp);
        fromBytes.LastTimestamp.Should().Be(fromText.LastTimestamp);
    }

    [Fact]
    public void The_histograms_of_bytes_and_text_agree_on_every_bucket()
    {
        var (text, _) = Log(4);
        List<ConfigParameter> known = [Setting("access_log_format", SettingValue.FromText(SeedFormat), 7)];

        var fromText = Read(text, textOnly: true, known).Observations.OfType<RequestDurationHistogram>().ToList();
        var fromBytes = Read(text, textOnly: false, known).Observations.OfType<RequestDurationHistogram>().ToList();

        fromText.Should().HaveCountGreaterThan(10);
        fromBytes.Select(h => h.Buckets).Should().BeEquivalentTo(fromText.Select(h => h.Buckets), o => o.WithStrictOrdering());
        fromBytes.Select(h => h.Sum).Should().Equal(fromText.Select(h => h.Sum));
    }
}
