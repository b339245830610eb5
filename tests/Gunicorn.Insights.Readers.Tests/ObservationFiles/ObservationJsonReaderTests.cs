using System.Text;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Observations.Logs;
using Gunicorn.Insights.Observations.Metrics;
using Gunicorn.Insights.Observations.Requests;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Quantities;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.ObservationFiles;
using Gunicorn.Insights.Readers.Tests.Metrics;

namespace Gunicorn.Insights.Readers.Tests.ObservationFiles;

public sealed class ObservationJsonReaderTests
{
    private static ReadContext Read(string name = "observations.json")
    {
        var context = new ReadContext(name);
        new ObservationJsonReader().Read(LineSource.FromFile(MutatedInputs.Sample("observations", name)), context);
        return context;
    }

    private static ReadContext ReadText(string text)
    {
        var context = new ReadContext("observations.json");
        new ObservationJsonReader().Read(LineSource.FromText("observations.json", text), context);
        return context;
    }

    private static T At<T>(ReadContext context, int line) where T : Observation =>
        context.Observations.OfType<T>().Single(o => o.Source.Line == line);

    [Fact]
    public void Every_good_element_becomes_its_observation_at_the_line_of_its_brace()
    {
        var context = Read();

        context.Observations.Select(o => (o.GetType().Name, o.Source.Line)).Should().Equal(
            ("CpuUsage", 5), ("CpuUsage", 6), ("MemoryUsage", 7), ("SwapActivity", 8), ("WorkerUtilization", 9), ("ApplicationTiming", 10),
            ("RequestDurationHistogram", 20), ("Counter", 29), ("Gauge", 30), ("ConfigParameter", 31), ("ConfigParameter", 32),
            ("ConfigParameter", 33), ("ConfigParameter", 34), ("HostFacts", 35), ("SoftwareVersion", 36), ("LogSignature", 37),
            ("SoftwareVersion", 47));
        context.Observations.Should().OnlyContain(o => o.Source.Source == "observations.json");
        context.Observations.Where(o => o.Source.Line != 9).Should().OnlyContain(o => o.Instance == "web-1");
        At<WorkerUtilization>(context, 9).Instance.Should().Be("web-2");
    }

    [Fact]
    public void Metrics_carry_their_values_in_typed_units()
    {
        var context = Read();

        var cpu = At<CpuUsage>(context, 5);
        (cpu.Utilization, cpu.Pid, cpu.ProcessName, cpu.Timestamp).Should().Be(
            (new Percentage(97.5), 7685, "gunicorn: worker [app]", new DateTimeOffset(2026, 11, 23, 23, 45, 22, TimeSpan.Zero)));
        var host = At<CpuUsage>(context, 6);
        (host.Pid, host.IoWait, host.BlockedProcesses, host.Window).Should().Be(((int?)null, new Percentage(31.5), 4, TimeSpan.FromMinutes(1)));

        var memory = At<MemoryUsage>(context, 7);
        (memory.Total, memory.Available, memory.SwapTotal, memory.SwapUsed).Should().Be(
            (new ByteSize(8214183936), new ByteSize(412344320), new ByteSize(2147483648), new ByteSize(1073741824)));
        var swap = At<SwapActivity>(context, 8);
        (swap.SwapIn, swap.SwapOut, swap.Window).Should().Be((new DataRate(524288), new DataRate(1048576), TimeSpan.FromSeconds(5)));
        var workers = At<WorkerUtilization>(context, 9);
        (workers.Busy, workers.Total, workers.Timestamp).Should().Be((9, 9, new DateTimeOffset(2026, 11, 23, 23, 45, 30, TimeSpan.Zero)));

        var timing = At<ApplicationTiming>(context, 10);
        (timing.Transaction, timing.Requests, timing.AverageTotal, timing.AverageCpu, timing.AverageDatabase, timing.AverageExternal, timing.QueriesPerRequest)
            .Should().Be(("/report", 120L, TimeSpan.FromSeconds(4.2), TimeSpan.FromSeconds(0.3), TimeSpan.FromSeconds(3.5), TimeSpan.FromSeconds(0.1), 40.0));

        var histogram = At<RequestDurationHistogram>(context, 20);
        histogram.MetricName.Should().Be("http_request_duration_seconds");
        histogram.Buckets.Select(b => b.UpperBound).Should().Equal(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, double.PositiveInfinity);
        histogram.Count.Should().Be(120);
        (histogram.Sum, histogram.Window).Should().Be((TimeSpan.FromSeconds(504.3), TimeSpan.FromMinutes(5)));
        histogram.Labels.Should().BeEquivalentTo(new Dictionary<string, string> { ["handler"] = "/report", ["method"] = "GET", ["path"] = "/report" });
        histogram.QuantileValue(0.95).Should().Be(HistogramQuantile.Compute(0.95, histogram.Buckets));

        var counter = At<Counter>(context, 29);
        (counter.Name, counter.Value, counter.Window).Should().Be(("gunicorn.requests", 1530.0, TimeSpan.FromMinutes(10)));
        var gauge = At<Gauge>(context, 30);
        (gauge.Name, gauge.Value, gauge.Unit).Should().Be(("gunicorn.backlog", 57.0, MetricUnit.Count));
    }

    [Fact]
    public void Settings_go_through_the_gunicorn_catalog_and_are_host_supplied()
    {
        var settings = Read().Observations.OfType<ConfigParameter>().ToArray();

        settings.Should().OnlyContain(p => p.Origin == SettingOrigin.HostSupplied);
        settings.Select(p => $"{p.Scope} {p.Name}={p.Value} ({p.Value.Kind}) as {p.WrittenAs} [{p.Section}]").Should().Equal(
            "Gunicorn timeout=60 (Duration) as timeout []",
            "Gunicorn workers=9 (Integer) as --workers []",
            "Nginx proxy_read_timeout=60s (Duration) as proxy_read_timeout [http > server > location /]",
            "Platform NEW_RELIC_LICENSE_KEY=*** (Text) as NEW_RELIC_LICENSE_KEY []");
        var configuration = GunicornConfiguration.Resolve(settings, instance: "web-1");
        configuration.Timeout.Should().Be(TimeSpan.FromSeconds(60));
        configuration.WorkerCount(4).Should().Be(9);
    }

    [Fact]
    public void Host_version_and_log_elements_are_read()
    {
        var context = Read();

        var host = At<HostFacts>(context, 35);
        (host.CpuCount, host.Memory, host.Platform).Should().Be((4, new ByteSize(8214183936), PlatformKind.Kubernetes));
        context.Observations.OfType<SoftwareVersion>().Select(v => $"{v.Component} {v.Version}").Should().Equal("gunicorn 23.0.0", "nginx 1.22.1");

        var log = At<LogSignature>(context, 37);
        (log.Kind, log.Count, log.FirstSeen, log.LastSeen).Should().Be((LogSignatureKind.WorkerTimeout, 3L,
            new DateTimeOffset(2026, 11, 23, 23, 45, 22, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 23, 51, 10, TimeSpan.Zero)));
        log.Pids.Should().Equal(7685, 7686);
        log.Examples.Should().ContainSingle().Which.ToString().Should().Be(
            "observations.json:37: [2026-11-23 23:45:22 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)");
        context.FirstTimestamp.Should().Be(new DateTimeOffset(2026, 11, 23, 23, 45, 22, TimeSpan.Zero));
    }

    [Fact]
    public void Every_bad_element_is_reported_with_its_line_and_skipped()
    {
        var context = Read();

        context.Problems.Select(p => p.Location.Line).Should().Equal(39, 40, 41, 42, 43, 44, 45, 46, 47, 48);
        var messages = context.Problems.Select(p => p.Message).ToArray();
        messages[0].Should().Be("observation 17 (cpu): 'utilizationPercent' is missing; skipped");
        messages[1].Should().Contain("'totalBytes' must be a whole number, not a string");
        messages[2].Should().Contain("'busy' must be from 0 to 2147483647, not -1");
        messages[3].Should().Contain("timeout").And.Contain("sixty");
        messages[4].Should().Contain("'no_such_setting' is not a Gunicorn setting");
        messages[5].Should().Contain("unknown type \"disk\"");
        messages[6].Should().Be("observation 23 is a string, not an object; skipped");
        messages[7].Should().Contain("upper bound of bucket 2");
        messages[8].Should().Contain("unknown property \"colour\" ignored");
        messages[9].Should().Contain("'type' is missing");
        context.Problems.Should().OnlyContain(p => p.Severity == InputDiagnosticSeverity.Warning);
    }

    [Fact]
    public void Secrets_never_reach_observation_text()
    {
        var context = Read();

        context.Observations.Should().NotContain(o => o.Describe().Contains("eu01xx", StringComparison.Ordinal));
        context.Problems.Should().NotContain(p => p.Message.Contains("eu01xx", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_json_keeps_the_elements_before_it_and_reports_the_line()
    {
        var context = ReadText("""
            {"version": 1, "observations": [
              {"type": "workers", "busy": 3, "total": 4},
              {"type": "workers", "busy": 4, "total": 4},
              {"type": "workers", "busy": 4 "total": 4}
            ]}
            """);

        context.Observations.OfType<WorkerUtilization>().Select(w => w.Source.Line).Should().Equal(2, 3);
        var problem = context.Problems.Should().ContainSingle().Subject;
        (problem.Location.Line, problem.Severity).Should().Be((4, InputDiagnosticSeverity.Error));
        problem.Message.Should().StartWith("invalid JSON:");
    }

    [Fact]
    public void Versions_top_level_shape_and_unknown_properties_are_checked()
    {
        ReadText("""{"observations": []}""").Problems.Single().Message.Should().Contain("no \"version\"");
        ReadText("""{"version": 2, "observations": [], "source": "x"}""").Problems.Select(p => p.Message).Should().Satisfy(
            m => m.Contains("unknown top-level property \"source\"", StringComparison.Ordinal),
            m => m.Contains("format version 2 is newer", StringComparison.Ordinal));
        ReadText("[1, 2]").Problems.Single().Severity.Should().Be(InputDiagnosticSeverity.Error);
        ReadText("").Problems.Single().Message.Should().Contain("empty");
        ReadText("""{"version": 1}""").Problems.Single().Message.Should().Contain("no \"observations\"");
        ReadText("""{"version": 1, "observations": {}}""").Problems.Single().Severity.Should().Be(InputDiagnosticSeverity.Error);
        ReadText("""{"version": 1, "observations": []} trailing""").Problems.Single().Message.Should().StartWith("invalid JSON");
    }

    [Fact]
    public void Comments_trailing_commas_a_bom_and_the_instance_after_the_observations_are_accepted()
    {
        var context = ReadText("\uFEFF{\n  // from the host app\n  \"observations\": [\n    {\"type\": \"workers\", \"busy\": 1, \"total\": 2,},\n  ],\n  \"version\": 1,\n  \"instance\": \"pod-7\",\n}\n");

        context.Problems.Should().BeEmpty();
        var workers = context.Observations.OfType<WorkerUtilization>().Single();
        (workers.Source.Line, workers.Instance).Should().Be((4, "pod-7"));
    }

    [Fact]
    public void Every_type_checks_its_required_fields_and_ranges()
    {
        var context = ReadText("""
            {"version": 1, "observations": [
              {"type": "swap", "swapInBytesPerSecond": -1, "swapOutBytesPerSecond": 0},
              {"type": "timing", "requests": 3, "averageTotalSeconds": 1},
              {"type": "histogram", "metric": "m", "unit": "minutes", "buckets": [[1, 2]]},
              {"type": "histogram", "metric": "m", "buckets": []},
              {"type": "histogram", "metric": "m", "buckets": [[1, 2, 3]]},
              {"type": "gauge", "name": "g", "value": 1, "unit": "parsecs"},
              {"type": "setting", "scope": "apache", "name": "x", "value": "1"},
              {"type": "setting", "scope": "nginx", "name": "x"},
              {"type": "setting", "scope": "nginx", "name": "x", "value": "1", "durationSeconds": 1},
              {"type": "setting", "scope": "gunicorn", "name": "post_fork", "value": "f"},
              {"type": "host"},
              {"type": "host", "platform": "mainframe"},
              {"type": "version", "component": "gunicorn", "version": "latest"},
              {"type": "log", "kind": "Coffee", "count": 1},
              {"type": "log", "kind": "WorkerTimeout", "count": 0},
              {"type": "log", "kind": "worker-timeout", "count": 2, "first": "2026-11-23T10:00:00Z", "last": "2026-11-23T09:00:00Z"},
              {"type": "memory", "totalBytes": 10, "availableBytes": 20},
              {"type": "cpu", "utilization": 50, "timestamp": "yesterday"},
              {"type": "cpu", "utilization": 50, "timestamp": 1764012345.5}
            ]}
            """);

        context.Problems.Select(p => p.Location.Line).Should().Equal(Enumerable.Range(2, 18).Select(l => (int?)l));
        context.Observations.OfType<CpuUsage>().Single().Should().Match<CpuUsage>(c =>
            c.Utilization == new Percentage(50) && c.Timestamp == DateTimeOffset.FromUnixTimeMilliseconds(1764012345500) && c.Source.Line == 20);
    }

    [Fact]
    public void Log_kinds_platforms_and_list_values_accept_friendly_spellings()
    {
        var context = ReadText("""
            {"version": 1, "observations": [
              {"type": "log", "kind": "worker_sigkill", "count": 1, "examples": ["Worker (pid:7686) was sent SIGKILL! Perhaps out of memory?"]},
              {"type": "host", "platform": "Cloud Run"},
              {"type": "setting", "scope": "gunicorn", "name": "bind", "value": ["unix:/run/gunicorn.sock", "0.0.0.0:8000"]},
              {"type": "setting", "scope": "gunicorn", "name": "preload_app", "value": true},
              {"type": "setting", "scope": "platform", "name": "DATABASE_URL", "value": "postgres://app:hunter2@db/app"}
            ]}
            """);

        context.Problems.Should().BeEmpty();
        context.Observations.OfType<LogSignature>().Single().Kind.Should().Be(LogSignatureKind.WorkerSigkill);
        context.Observations.OfType<HostFacts>().Single().Platform.Should().Be(PlatformKind.GoogleCloudRun);
        var settings = context.Observations.OfType<ConfigParameter>().ToArray();
        settings[0].Value.Items.Should().Equal("unix:/run/gunicorn.sock", "0.0.0.0:8000");
        settings[1].Value.TryGetBoolean(out var preload).Should().BeTrue();
        preload.Should().BeTrue();
        settings[2].Value.Text.Should().Be("postgres://***@db/app");
    }

    [Fact]
    public void A_one_line_document_longer_than_a_line_can_be_is_read_through_ReadDocument()
    {
        var elements = string.Join(",", Enumerable.Range(0, 2000).Select(i => $"{{\"type\":\"workers\",\"busy\":{i % 9},\"total\":9}}"));
        var json = Encoding.UTF8.GetBytes($"{{\"version\":1,\"observations\":[{elements}]}}");
        json.Length.Should().BeGreaterThan(LineSource.MaximumLineBytes);

        var direct = new ReadContext("observations.json");
        new ObservationJsonReader().ReadDocument(json, direct);
        direct.Observations.Should().HaveCount(2000).And.OnlyContain(o => o.Source.Line == 1);
        direct.Problems.Should().BeEmpty();

        var throughLines = new ReadContext("observations.json");
        new ObservationJsonReader().Read(LineSource.FromBytes("observations.json", json), throughLines);
        throughLines.Problems.Should().Contain(p => p.Severity == InputDiagnosticSeverity.Error);
    }

    [Fact]
    public void A_document_over_the_size_cap_is_an_error()
    {
        var context = new ReadContext("huge.json");
        new ObservationJsonReader().ReadDocument(new byte[ObservationJsonReader.MaximumBytes + 1], context);

        context.Problems.Single().Severity.Should().Be(InputDiagnosticSeverity.Error);
        context.Observations.Should().BeEmpty();
    }

    [Fact]
    public void The_reader_recognises_observation_json_and_not_error_logs_or_other_json()
    {
        var reader = new ObservationJsonReader();
        var head = File.ReadAllLines(MutatedInputs.Sample("observations", "observations.json")).Take(40).ToArray();

        reader.Recognize("observations.json", head).Should().BeGreaterThan(80);
        reader.Recognize("export.txt", head).Should().BeGreaterThan(50);
        reader.Recognize("package.json", ["{", "  \"name\": \"app\",", "  \"version\": \"1.0.0\"", "}"]).Should().Be(0);
        reader.Recognize("app.log", ["{\"log\":\"[2026-11-23 23:45:22 +0000] [7657] [CRITICAL] WORKER TIMEOUT (pid:7685)\\n\",\"stream\":\"stderr\"}"]).Should().Be(0);
        reader.Recognize("error.log", File.ReadAllLines(MutatedInputs.Sample("gunicorn", "error-23.log"))).Should().Be(0);
        new GunicornErrorLogReader().Recognize("observations.json", head).Should().Be(0);
    }

    [Fact]
    public void ObservationJsonReader_survives_mutated_input()
    {
        var elapsed = MutatedInputs.Run(new ObservationJsonReader(), [MutatedInputs.Sample("observations", "observations.json")], seed: 2026);

        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }
}
