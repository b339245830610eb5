using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Quantities;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Metrics;

namespace Gunicorn.Insights.Readers.Tests.Metrics;

public sealed class PrometheusExpositionReaderTests
{
    /// <summary>The seed's recommended buckets for http_request_duration_seconds.</summary>
    private static readonly double[] SeedBounds = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly double[] Quantiles = [0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

    private static ReadContext Read(string name)
    {
        var context = new ReadContext(name);
        new PrometheusExpositionReader().Read(LineSource.FromFile(MutatedInputs.Sample("metrics", name)), context);
        return context;
    }

    private static ReadContext ReadText(string text, string name = "metrics.prom")
    {
        var context = new ReadContext(name);
        new PrometheusExpositionReader().Read(LineSource.FromText(name, text), context);
        return context;
    }

    [Fact]
    public void A_django_exposition_gives_one_histogram_per_handler_with_labels_sum_and_location()
    {
        var context = Read("django-gunicorn.prom");

        var histograms = context.Observations.OfType<RequestDurationHistogram>().ToArray();
        histograms.Select(h => (h.MetricName, h.Source.ToString(), h.Count)).Should().Equal(
            ("http_request_duration_seconds", "django-gunicorn.prom:15", 120.0),
            ("http_request_duration_seconds", "django-gunicorn.prom:27", 900.0));
        var report = histograms[0];
        report.Labels.Should().BeEquivalentTo(new Dictionary<string, string> { ["handler"] = "/report", ["method"] = "GET", ["path"] = "/report" });
        report.BucketUnit.Should().Be(TimeSpan.FromSeconds(1));
        report.Sum.Should().Be(TimeSpan.FromSeconds(504.3));
        report.Buckets.Select(b => b.UpperBound).Should().Equal([.. SeedBounds, double.PositiveInfinity]);
        report.Buckets.Select(b => b.CumulativeCount).Should().Equal(0, 2, 5, 9, 14, 22, 41, 97, 118, 120);
        report.QuantileValue(0.5).Should().BeApproximately(2.5 + (2.5 * 19 / 56), 1e-12);
        report.QuantileValue(0.95).Should().BeApproximately(5 + (5.0 * 17 / 21), 1e-12);
        report.QuantileValue(0.99).Should().Be(10, "rank 118.8 lies in the +Inf bucket: Prometheus reports the highest finite bound");
        histograms[1].Labels["path"].Should().Be("/health");
        histograms[1].Sum.Should().Be(TimeSpan.FromSeconds(4.2));
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Counters_and_gauges_keep_name_value_unit_labels_and_line_and_creation_times_are_skipped()
    {
        var context = Read("django-gunicorn.prom");

        context.Observations.OfType<Counter>().Select(c => (c.Name, c.Value, c.Source.Line)).Should().Equal(
            ("process_cpu_seconds_total", 1843.27, 6), ("django_http_requests_total_by_method_total", 1020.0, 51));
        context.Observations.OfType<Counter>().Last().Labels.Should().Equal(new Dictionary<string, string> { ["method"] = "GET" });
        context.Observations.OfType<Gauge>().Select(g => (g.Name, g.Value, g.Unit, g.Source.Line)).Should().Equal(
            ("python_info", 1.0, MetricUnit.Count, 3),
            ("process_resident_memory_bytes", 287502336.0, MetricUnit.Bytes, 9),
            ("gunicorn_workers", 9.0, MetricUnit.Count, 12),
            ("django_cache_hit_ratio", 0.62, MetricUnit.Ratio, 63));
        context.Observations.OfType<Gauge>().First().Labels["version"].Should().Be("3.11.4");
        context.Observations.Should().OnlyContain(o => o.Instance == null && o.Timestamp == null);
    }

    [Fact]
    public void OpenMetrics_gives_seconds_timestamps_units_escapes_and_ignores_exemplars_created_and_info()
    {
        var context = Read("gunicorn-openmetrics.om.txt");
        var scraped = DateTimeOffset.FromUnixTimeMilliseconds(1764012345123);

        var histogram = context.Observations.OfType<RequestDurationHistogram>().Should().ContainSingle().Subject;
        histogram.Source.ToString().Should().Be("gunicorn-openmetrics.om.txt:4");
        histogram.MetricName.Should().Be("gunicorn_request_duration_seconds");
        histogram.Count.Should().Be(17);
        histogram.Sum.Should().Be(TimeSpan.FromSeconds(22.5));
        histogram.Timestamp.Should().Be(scraped);
        histogram.Labels["path"].Should().Be("/api/orders");
        histogram.Buckets.Should().HaveCount(10);

        var counters = context.Observations.OfType<Counter>().ToArray();
        counters.Select(c => (c.Name, c.Value, c.Source.Line, c.Timestamp)).Should().Equal(
            ("gunicorn_requests_total", 1520.0, 19, scraped), ("gunicorn_requests_total", 4.0, 21, scraped), ("app_errors_total", 2.0, 24, null));
        counters[2].Labels["error"].Should().Be("Cannot find file:\n\"FILE.TXT\"");
        counters[2].Labels["path"].Should().Be(@"C:\DIR\FILE.TXT");

        var gauge = context.Observations.OfType<Gauge>().Should().ContainSingle().Subject;
        (gauge.Name, gauge.Value, gauge.Unit, gauge.Timestamp).Should().Be(("worker_busy_ratio", 0.97, MetricUnit.Ratio, DateTimeOffset.FromUnixTimeMilliseconds(1764012345500)));
        context.FirstTimestamp.Should().Be(scraped);
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Node_exporter_memory_becomes_memory_usage_and_text_timestamps_are_milliseconds()
    {
        var context = Read("node-exporter.prom");

        var memory = context.Observations.OfType<MemoryUsage>().Should().ContainSingle().Subject;
        memory.Source.Line.Should().Be(6);
        memory.Total.Should().Be(new ByteSize(8214183936));
        memory.Available.Should().Be(new ByteSize(412344320));
        memory.SwapTotal.Should().Be(new ByteSize(2147483648));
        memory.SwapUsed.Should().Be(new ByteSize(1073741824));
        context.Observations.OfType<Gauge>().Should().NotContain(g => g.Name.StartsWith("node_memory_", StringComparison.Ordinal));

        var up = context.Observations.OfType<Gauge>().Where(g => g.Name == "up").ToArray();
        up.Select(g => (g.Value, g.Labels["instance"], g.Timestamp)).Should().Equal(
            (1.0, "web-1:8000", DateTimeOffset.FromUnixTimeMilliseconds(1764012345123)),
            (0.0, "web-2:8000", DateTimeOffset.FromUnixTimeMilliseconds(1764012345123)));
        context.Observations.OfType<Counter>().Select(c => c.Labels["mode"]).Should().Equal("idle", "user", "iowait");
        context.Observations.OfType<Counter>().ElementAt(1).Value.Should().Be(123450);
        context.Observations.OfType<Gauge>().Single(g => g.Name == "node_filesystem_avail_bytes").Unit.Should().Be(MetricUnit.Bytes);
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Memory_without_both_totals_stays_gauges()
    {
        var context = ReadText("node_memory_MemAvailable_bytes{instance=\"a\"} 100\nnode_memory_MemTotal_bytes{instance=\"b\"} 400\n");

        context.Observations.OfType<MemoryUsage>().Should().BeEmpty();
        context.Observations.OfType<Gauge>().Select(g => (g.Name, g.Unit)).Should().Equal(
            ("node_memory_MemAvailable_bytes", MetricUnit.Bytes), ("node_memory_MemTotal_bytes", MetricUnit.Bytes));
    }

    [Fact]
    public void Malformed_lines_duplicates_and_broken_histograms_are_reported_with_their_lines_and_the_rest_is_read()
    {
        var context = Read("malformed.prom");

        context.Problems.Select(p => p.Location.Line).Should().BeEquivalentTo(new int?[] { 2, 2, 5, 6, 7, 8, 9, 10, 12, 13, 14 });
        context.Problems.Single(p => p.Location.Line == 6).Message.Should().Contain("duplicate series");
        context.Problems.Single(p => p.Location.Line == 13).Message.Should().Contain("second '# TYPE'");
        context.Problems.Single(p => p.Location.Line == 14).Message.Should().Contain("0x1p-2");
        context.Problems.Should().Contain(p => p.Location.Line == 2 && p.Message.Contains("+Inf", StringComparison.Ordinal));
        context.Problems.Should().Contain(p => p.Location.Line == 2 && p.Message.Contains("decrease", StringComparison.Ordinal));

        var histogram = context.Observations.OfType<RequestDurationHistogram>().Should().ContainSingle().Subject;
        histogram.Buckets.Select(b => (b.UpperBound, b.CumulativeCount)).Should().Equal((0.1, 5.0), (0.5, 3.0), (1.0, 9.0));
        double.IsNaN(histogram.QuantileValue(0.5)).Should().BeTrue();
        context.Observations.OfType<Gauge>().Single().Should().Match<Gauge>(g => g.Name == "good_gauge" && g.Value == 3 && g.Source.Line == 11);
    }

    [Fact]
    public void Values_follow_go_parse_float()
    {
        var context = ReadText("""
            a NaN
            b +Inf
            c -Inf
            d 1.7560473e+07
            e .5
            f -0.25E-2
            g Infinity
            h 1_000
            i 1e999
            j +nan
            """);

        var values = context.Observations.OfType<Gauge>().ToDictionary(g => g.Name, g => g.Value);
        double.IsNaN(values["a"]).Should().BeTrue();
        values["b"].Should().Be(double.PositiveInfinity);
        values["c"].Should().Be(double.NegativeInfinity);
        values["d"].Should().Be(17560473);
        values["e"].Should().Be(0.5);
        values["f"].Should().Be(-0.0025);
        values["g"].Should().Be(double.PositiveInfinity);
        values.Keys.Should().NotContain(["h", "i", "j"]);
        context.Problems.Select(p => p.Location.Line).Should().Equal(8, 9, 10);
    }

    [Fact]
    public void Blanks_tabs_trailing_commas_empty_braces_and_quoted_names_are_accepted()
    {
        var context = ReadText("""
            gunicorn_workers {  } 4
            http_requests_total{ method = "GET" , code="200", }	17
            {"gunicorn.worker.busy", pool="main"} 3
            """);

        context.Problems.Should().BeEmpty();
        context.Observations.OfType<Gauge>().Select(g => g.Name).Should().Equal("gunicorn_workers", "gunicorn.worker.busy");
        context.Observations.OfType<Counter>().Single().Labels.Should().Equal(new Dictionary<string, string> { ["method"] = "GET", ["code"] = "200" });
    }

    [Fact]
    public void Millisecond_histograms_untyped_histograms_and_other_histograms_are_told_apart()
    {
        var context = ReadText("""
            # TYPE api_latency_ms histogram
            api_latency_ms_bucket{le="100"} 3
            api_latency_ms_bucket{le="+Inf"} 4
            api_latency_ms_sum 900
            gunicorn_request_duration_seconds_bucket{le="0.5"} 1
            gunicorn_request_duration_seconds_bucket{le="+Inf"} 2
            gunicorn_request_duration_seconds_sum 3.5
            gunicorn_request_duration_seconds_count 2
            # TYPE payload_bytes histogram
            payload_bytes_bucket{le="+Inf"} 2
            """);

        var histograms = context.Observations.OfType<RequestDurationHistogram>().ToArray();
        histograms.Select(h => (h.MetricName, h.BucketUnit, h.Sum)).Should().Equal(
            ("api_latency_ms", TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(900)),
            ("gunicorn_request_duration_seconds", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3.5)));
        histograms[0].QuantileValue(0.5).Should().BeApproximately(100 * 2.0 / 3, 1e-9);
        histograms[0].Percentile(0.5).Should().BeCloseTo(TimeSpan.FromMilliseconds(66.667), TimeSpan.FromMilliseconds(0.001));
        context.Observations.OfType<Counter>().Should().BeEmpty("an untyped histogram's _sum and _count belong to it");
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void A_count_that_differs_from_the_inf_bucket_is_reported()
    {
        var context = ReadText("""
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{le="1"} 3
            http_request_duration_seconds_bucket{le="+Inf"} 4
            http_request_duration_seconds_count 5
            """);

        context.Problems.Should().ContainSingle().Which.Message.Should().Contain("_count is 5 but the +Inf bucket holds 4");
        context.Observations.OfType<RequestDurationHistogram>().Single().Count.Should().Be(4);
    }

    public static TheoryData<string, double[], double[]> QuantileCases() => new()
    {
        // name, finite bounds (then +Inf unless the name says otherwise), cumulative counts
        { "seed buckets", SeedBounds, [0, 2, 5, 9, 14, 22, 41, 97, 118, 120] },
        { "all in the first bucket", SeedBounds, [50, 50, 50, 50, 50, 50, 50, 50, 50, 50] },
        { "empty lowest bucket at q=0", SeedBounds, [0, 0, 0, 1, 1, 1, 1, 1, 1, 1] },
        { "non-monotonic", SeedBounds, [0, 2, 5, 4, 14, 13, 41, 97, 96, 120] },
        { "non-monotonic +Inf", SeedBounds, [0, 2, 5, 9, 14, 22, 41, 97, 118, 110] },
        { "tail beyond the last bound", SeedBounds, [0, 0, 0, 0, 0, 0, 0, 1, 2, 40] },
        { "no +Inf bucket", SeedBounds, [0, 2, 5, 9, 14, 22, 41, 97, 118] },
        { "no observations", SeedBounds, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
        { "counts within 1e-12", [0.1, 0.2, 0.4], [1000000000000, 1000000000001, 1000000000002, 2000000000000] },
    };

    [Theory]
    [MemberData(nameof(QuantileCases))]
    public void Percentiles_of_exposition_histograms_equal_histogram_quantile_on_the_same_buckets(string name, double[] bounds, double[] counts)
    {
        var buckets = bounds.Select((b, i) => new HistogramBucket(b, counts[i])).ToList();
        if (counts.Length > bounds.Length)
        {
            buckets.Add(new HistogramBucket(double.PositiveInfinity, counts[^1]));
        }

        // Written in reverse order, with Go-client and client_python spellings of le.
        var lines = buckets.Select((b, i) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"http_request_duration_seconds_bucket{{le=\"{Le(b.UpperBound, i)}\",job=\"django_app\"}} {b.CumulativeCount:R}")).Reverse();
        var context = ReadText("# TYPE http_request_duration_seconds histogram\n" + string.Join("\n", lines) + "\n");

        var histogram = context.Observations.OfType<RequestDurationHistogram>().Should().ContainSingle(name).Subject;
        foreach (var q in Quantiles)
        {
            var expected = HistogramQuantile.Compute(q, buckets);
            var actual = histogram.QuantileValue(q);
            if (double.IsNaN(expected))
            {
                double.IsNaN(actual).Should().BeTrue($"{name}, q={q}");
            }
            else
            {
                actual.Should().Be(expected, $"{name}, q={q}");
            }
        }
    }

    [Fact]
    public void Equal_bounds_spelled_differently_are_merged_as_prometheus_does()
    {
        var context = ReadText("""
            http_request_duration_seconds_bucket{le="0.5"} 2
            http_request_duration_seconds_bucket{le="1"} 3
            http_request_duration_seconds_bucket{le="1.0"} 4
            http_request_duration_seconds_bucket{le="1e0"} 1
            http_request_duration_seconds_bucket{le="+Inf"} 10
            http_request_duration_seconds_bucket{le="Inf"} 0
            """);

        var histogram = context.Observations.OfType<RequestDurationHistogram>().Single();
        var expected = new[] { new HistogramBucket(0.5, 2), new HistogramBucket(1, 3), new HistogramBucket(1, 4), new HistogramBucket(1, 1),
            new HistogramBucket(double.PositiveInfinity, 10), new HistogramBucket(double.PositiveInfinity, 0) };
        foreach (var q in Quantiles)
        {
            histogram.QuantileValue(q).Should().Be(HistogramQuantile.Compute(q, expected));
        }

        histogram.Count.Should().Be(10);
    }

    [Fact]
    public void The_reader_recognises_expositions_and_not_error_logs_or_configuration()
    {
        var reader = new PrometheusExpositionReader();
        foreach (var sample in new[] { "django-gunicorn.prom", "gunicorn-openmetrics.om.txt", "node-exporter.prom" })
        {
            reader.Recognize(sample, File.ReadAllLines(MutatedInputs.Sample("metrics", sample))).Should().BeGreaterThan(50, sample);
            new GunicornErrorLogReader().Recognize(sample, File.ReadAllLines(MutatedInputs.Sample("metrics", sample))).Should().Be(0, sample);
        }

        reader.Recognize("error.log", File.ReadAllLines(MutatedInputs.Sample("gunicorn", "error-23.log"))).Should().Be(0);
        reader.Recognize("redis.conf", ["maxclients 10000", "port 6379", "timeout 0"]).Should().Be(0);
        reader.Recognize("statsd.log", File.ReadAllLines(MutatedInputs.Sample("metrics", "gunicorn-statsd.log"))).Should().Be(0);
    }

    [Fact]
    public void Secrets_in_label_values_are_masked_in_observations_and_problems()
    {
        var context = ReadText("""
            db_pool_connections{dsn="postgres://app:hunter2@db/app",api_token="hunter2",path="/export?token=hunter2"} 3
            db_pool_connections{dsn="postgres://app:hunter2@db/app",api_token="hunter2",path="/export?token=hunter2"} 4
            """);

        var gauge = context.Observations.OfType<Gauge>().Single();
        gauge.Labels.Should().Equal(new Dictionary<string, string>
        {
            ["dsn"] = "postgres://***@db/app", ["api_token"] = "***", ["path"] = "/export?token=***",
        });
        context.Problems.Should().ContainSingle().Which.Message.Should().NotContain("hunter2");
    }

    [Fact]
    public void Large_expositions_keep_bounded_lists_and_report_what_was_not_kept()
    {
        var text = new System.Text.StringBuilder("# TYPE http_request_duration_seconds histogram\n");
        for (var i = 0; i < 12_000; i++)
        {
            text.Append("requests_total{i=\"").Append(i).Append("\"} 1\n");
        }

        for (var i = 0; i < 2_100; i++)
        {
            text.Append("http_request_duration_seconds_bucket{pod=\"p").Append(i).Append("\",le=\"+Inf\"} 1\n");
        }

        text.Append("many_labels{").Append(string.Join(",", Enumerable.Range(0, 70).Select(i => $"l{i}=\"v\""))).Append("} 1\n");
        var context = ReadText(text.ToString());

        context.Observations.OfType<Counter>().Should().HaveCount(PrometheusExpositionReader.MaximumSamples);
        context.Observations.OfType<RequestDurationHistogram>().Should().HaveCount(PrometheusExpositionReader.MaximumHistograms);
        context.Problems.Select(p => p.Message).Should().Contain(m => m.Contains("2000 counter and gauge samples beyond", StringComparison.Ordinal))
            .And.Contain(m => m.Contains("100 samples of histogram series beyond", StringComparison.Ordinal))
            .And.Contain(m => m.Contains("more than 64 labels", StringComparison.Ordinal));
    }

    [Fact]
    public void PrometheusExpositionReader_survives_mutated_input()
    {
        var elapsed = MutatedInputs.Run(new PrometheusExpositionReader(),
            [MutatedInputs.Sample("metrics", "django-gunicorn.prom"), MutatedInputs.Sample("metrics", "gunicorn-openmetrics.om.txt"),
             MutatedInputs.Sample("metrics", "node-exporter.prom"), MutatedInputs.Sample("metrics", "malformed.prom")], seed: 4004);

        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }

    private static string Le(double bound, int index) =>
        double.IsPositiveInfinity(bound) ? "+Inf"
        : index % 2 == 0 ? bound.ToString("R", System.Globalization.CultureInfo.InvariantCulture)
        : bound.ToString("0.0###", System.Globalization.CultureInfo.InvariantCulture);
}
