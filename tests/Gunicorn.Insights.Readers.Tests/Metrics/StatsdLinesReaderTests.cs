using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Metrics;

namespace Gunicorn.Insights.Readers.Tests.Metrics;

public sealed class StatsdLinesReaderTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 23, 45, 0, TimeSpan.Zero);

    private static ReadContext Read(string name, IReadOnlyList<ConfigParameter>? known = null)
    {
        var context = new ReadContext(name, knownParameters: known);
        new StatsdLinesReader().Read(LineSource.FromFile(MutatedInputs.Sample("metrics", name)), context);
        return context;
    }

    private static ReadContext ReadText(string text, IReadOnlyList<ConfigParameter>? known = null)
    {
        var context = new ReadContext("statsd.log", knownParameters: known);
        new StatsdLinesReader().Read(LineSource.FromText("statsd.log", text), context);
        return context;
    }

    [Fact]
    public void A_gunicorn_capture_gives_the_duration_histogram_from_the_millisecond_timer()
    {
        var context = Read("gunicorn-statsd.log");

        var histogram = context.Observations.OfType<RequestDurationHistogram>().Should().ContainSingle().Subject;
        histogram.MetricName.Should().Be(StatsdLinesReader.DurationMetricName);
        histogram.Source.ToString().Should().Be("gunicorn-statsd.log:2");
        histogram.Count.Should().Be(6);
        histogram.Sum!.Value.Should().BeCloseTo(TimeSpan.FromMilliseconds(60863), TimeSpan.FromMilliseconds(1));
        histogram.Labels.Should().Equal(new Dictionary<string, string> { ["prefix"] = "myapp" });
        histogram.Timestamp.Should().Be(Start.AddSeconds(21));
        histogram.Window.Should().Be(TimeSpan.FromSeconds(81));
        histogram.Percentile(0.5)!.Value.TotalMilliseconds.Should().BeApproximately(210.75, 210.75 * 0.02, "the median request took 210.75 ms");
        histogram.Percentile(0.99)!.Value.TotalMilliseconds.Should().BeApproximately(30012, 30012 * 0.02);
        histogram.FractionAbove(TimeSpan.FromSeconds(29)).Should().BeApproximately(2.0 / 6, 1e-12);
        histogram.FractionAbove(TimeSpan.FromSeconds(31)).Should().Be(0);
    }

    [Fact]
    public void Counters_are_summed_with_their_window_and_statuses_become_a_traffic_summary()
    {
        var context = Read("gunicorn-statsd.log");

        context.Observations.OfType<Counter>().Select(c => (c.Name, c.Value, c.Source.Line, c.Window)).Should().Equal(
            ("gunicorn.requests", 6.0, 3, TimeSpan.FromSeconds(81)),
            ("gunicorn.request.status.200", 3.0, 4, TimeSpan.FromSeconds(49)),
            ("gunicorn.log.critical", 2.0, 8, TimeSpan.FromSeconds(49)),
            ("gunicorn.request.status.502", 2.0, 11, TimeSpan.FromSeconds(49)),
            ("gunicorn.log.error", 1.0, 12, null),
            ("gunicorn.request.status.500", 1.0, 24, null),
            ("gunicorn.log.exception", 1.0, 25, null));
        context.Observations.OfType<Counter>().Should().OnlyContain(c => c.Labels["prefix"] == "myapp");
        context.Observations.OfType<Counter>().First().Timestamp.Should().Be(Start.AddSeconds(21));

        var traffic = context.Observations.OfType<TrafficSummary>().Should().ContainSingle().Subject;
        traffic.Logger.Should().Be("statsd");
        traffic.Requests.Should().Be(6);
        traffic.StatusCounts.Should().BeEquivalentTo(new Dictionary<int, long> { [200] = 3, [502] = 2, [500] = 1 });
        traffic.ServerErrors.Should().Be(3);
        traffic.Source.Line.Should().Be(4);
        (traffic.FirstSeen, traffic.LastSeen).Should().Be((Start.AddSeconds(21), Start.AddSeconds(102)));
        traffic.Timeline!.Total.Should().Be(6);

        var workers = context.Observations.OfType<Gauge>().Should().ContainSingle().Subject;
        (workers.Name, workers.Value, workers.Unit, workers.Source.Line, workers.Timestamp).Should().Be(
            ("gunicorn.workers", 9.0, MetricUnit.Count, 14, Start.AddSeconds(54)));
        (context.FirstTimestamp, context.LastTimestamp).Should().Be((Start.AddSeconds(20), Start.AddSeconds(102)));
        context.Problems.Should().BeEmpty();
        context.Observations.Should().OnlyContain(o => o.Instance == null);
    }

    [Fact]
    public void DogStatsD_tags_sample_rates_relative_gauges_and_histograms_are_read_and_bad_lines_reported()
    {
        var context = Read("dogstatsd.txt");
        var tags = new Dictionary<string, string> { ["env"] = "prod", ["service"] = "web" };

        var histogram = context.Observations.OfType<RequestDurationHistogram>().Single();
        histogram.Labels.Should().Equal(tags);
        histogram.Percentile(0.5)!.Value.TotalSeconds.Should().BeApproximately(7, 7 * 0.02);
        histogram.Timestamp.Should().BeNull();

        context.Observations.OfType<Counter>().Select(c => (c.Name, c.Value, c.Window)).Should().Equal(
            ("gunicorn.requests", 3.0, null), ("gunicorn.request.status.504", 1.0, null), ("gunicorn.request.status.abc", 1.0, null));
        context.Observations.OfType<Counter>().First().Labels.Should().Equal(tags);
        context.Observations.OfType<Gauge>().Select(g => (g.Name, g.Value, g.Unit, g.Source.Line)).Should().Equal(
            ("gunicorn.workers", 3.0, MetricUnit.Count, 11), ("gunicorn.backlog", 57.0, MetricUnit.Count, 7));
        context.Observations.OfType<TrafficSummary>().Single().StatusCounts.Should().Equal(new Dictionary<int, long> { [504] = 1 });
        context.Problems.Select(p => p.Location.Line).Should().Equal(9, 10, 12);
        context.Problems[0].Message.Should().Contain("'garbage' is not a number");
    }

    [Fact]
    public void The_configured_statsd_prefix_is_stripped_and_without_one_anything_before_gunicorn_is()
    {
        var prefix = new ConfigParameter(ConfigurationScope.Gunicorn, "statsd_prefix", SettingValue.FromText("metrics.app"),
            SettingOrigin.ConfigurationFile, new SourceLocation("gunicorn.conf.py", 7));
        const string Text = "metrics.app.gunicorn.requests:1|c\nmetrics.app.orders.created:2|c\nteam.web.gunicorn.requests:1|c\ngunicorn.requests:1|c\n";

        var configured = ReadText(Text, [prefix]).Observations.OfType<Counter>().Select(c => (c.Name, c.Labels.GetValueOrDefault("prefix")));
        configured.Should().Equal(("gunicorn.requests", "metrics.app"), ("orders.created", "metrics.app"), ("gunicorn.requests", "team.web"),
            ("gunicorn.requests", null));

        var detected = ReadText(Text).Observations.OfType<Counter>().Select(c => (c.Name, c.Labels.GetValueOrDefault("prefix")));
        detected.Should().Equal(("gunicorn.requests", "metrics.app"), ("metrics.app.orders.created", null), ("gunicorn.requests", "team.web"),
            ("gunicorn.requests", null));
    }

    [Fact]
    public void Capture_times_may_be_iso_or_date_and_time_words_and_several_samples_share_a_line()
    {
        var context = ReadText("""
            2026-11-23 23:45:22,500 gunicorn.request.duration:100|ms:300|ms
            2026-11-23T23:45:24.000+01:00 gunicorn.requests:1|c
            """);

        var histogram = context.Observations.OfType<RequestDurationHistogram>().Single();
        histogram.Count.Should().Be(2);
        histogram.Timestamp.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 45, 22, 500, TimeSpan.Zero));
        context.Observations.OfType<Counter>().Single().Timestamp.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 45, 24, TimeSpan.FromHours(1)));
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Bad_values_types_rates_and_durations_are_reported_and_skipped()
    {
        var context = ReadText("""
            gunicorn.requests:1|x
            gunicorn.requests:1|c|@2
            gunicorn.request.duration:-5|ms
            :1|c
            gunicorn.requests:NaN|c
            gunicorn.requests:1|c
            """);

        context.Problems.Select(p => p.Location.Line).Should().Equal(1, 2, 3, 4, 5);
        context.Observations.OfType<Counter>().Single().Value.Should().Be(1);
        context.Observations.OfType<RequestDurationHistogram>().Should().BeEmpty();
    }

    [Fact]
    public void The_reader_recognises_statsd_captures_and_not_error_logs()
    {
        var reader = new StatsdLinesReader();
        foreach (var sample in new[] { "gunicorn-statsd.log", "dogstatsd.txt" })
        {
            var head = File.ReadAllLines(MutatedInputs.Sample("metrics", sample));
            reader.Recognize(sample, head).Should().BeGreaterThan(50, sample);
            new GunicornErrorLogReader().Recognize(sample, head).Should().Be(0, sample);
        }

        reader.Recognize("error.log", File.ReadAllLines(MutatedInputs.Sample("gunicorn", "error-23.log"))).Should().Be(0);
        reader.Recognize("metrics.prom", File.ReadAllLines(MutatedInputs.Sample("metrics", "django-gunicorn.prom"))).Should().Be(0);
        reader.Recognize("prometheus.yml", File.ReadAllLines(MutatedInputs.Sample("metrics", "prometheus.yml"))).Should().Be(0);
    }

    [Fact]
    public void StatsdLinesReader_survives_mutated_input()
    {
        var elapsed = MutatedInputs.Run(new StatsdLinesReader(),
            [MutatedInputs.Sample("metrics", "gunicorn-statsd.log"), MutatedInputs.Sample("metrics", "dogstatsd.txt")], seed: 8125);

        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }
}
