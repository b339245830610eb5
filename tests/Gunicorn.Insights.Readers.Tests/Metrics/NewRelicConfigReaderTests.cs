using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Metrics;

namespace Gunicorn.Insights.Readers.Tests.Metrics;

public sealed class NewRelicConfigReaderTests
{
    private const string LicenseKey = "0123456789abcdef0123456789abcdef0123NRAL";

    private static ReadContext Read(string name = "newrelic.ini")
    {
        var context = new ReadContext(name);
        new NewRelicConfigReader().Read(LineSource.FromFile(MutatedInputs.Sample("metrics", name)), context);
        return context;
    }

    private static ReadContext ReadText(string text, string name = "newrelic.ini")
    {
        var context = new ReadContext(name);
        new NewRelicConfigReader().Read(LineSource.FromText(name, text), context);
        return context;
    }

    [Fact]
    public void The_file_itself_is_announced_as_NEW_RELIC_CONFIG_FILE_at_line_1()
    {
        var parameter = Read().Observations.OfType<ConfigParameter>().First();

        (parameter.Scope, parameter.Name, parameter.Value.Text, parameter.Origin, parameter.Source.ToString()).Should().Be(
            (ConfigurationScope.Platform, NewRelicConfigReader.ConfigFileVariable, "newrelic.ini", SettingOrigin.ConfigurationFile, "newrelic.ini:1"));
    }

    [Fact]
    public void Every_option_of_the_newrelic_sections_becomes_a_typed_platform_parameter()
    {
        var context = Read();

        var parameters = context.Observations.OfType<ConfigParameter>().Skip(1).ToArray();
        parameters.Should().OnlyContain(p => p.Scope == ConfigurationScope.Platform && p.Origin == SettingOrigin.ConfigurationFile);
        parameters.Select(p => $"{p.Source.Line} [{p.Section}] {p.Name}={p.Value} ({p.Value.Kind})").Should().Equal(
            "16 [newrelic] newrelic.license_key=*** (Text)",
            "17 [newrelic] newrelic.app_name=Django Reports (Production) (Text)",
            "18 [newrelic] newrelic.monitor_mode=True (Boolean)",
            "19 [newrelic] newrelic.log_file=/tmp/newrelic-python-agent.log (Text)",
            "20 [newrelic] newrelic.log_level=info (Text)",
            "21 [newrelic] newrelic.high_security=False (Boolean)",
            "22 [newrelic] newrelic.transaction_tracer.enabled=True (Boolean)",
            "23 [newrelic] newrelic.transaction_tracer.transaction_threshold=apdex_f (Text)",
            "24 [newrelic] newrelic.transaction_tracer.record_sql=obfuscated (Text)",
            "25 [newrelic] newrelic.transaction_tracer.stack_trace_threshold=0.5 (Duration)",
            "26 [newrelic] newrelic.transaction_tracer.explain_enabled=True (Boolean)",
            "27 [newrelic] newrelic.transaction_tracer.explain_threshold=0.5 (Duration)",
            "28 [newrelic] newrelic.transaction_tracer.function_trace= (Text)",
            "29 [newrelic] newrelic.error_collector.enabled=True (Boolean)",
            "30 [newrelic] newrelic.error_collector.ignore_errors=django.http.response:Http404 myapp.errors:Ignored (Text)",
            "32 [newrelic] newrelic.browser_monitoring.auto_instrument=True (Boolean)",
            "33 [newrelic] newrelic.thread_profiler.enabled=True (Boolean)",
            "34 [newrelic] newrelic.distributed_tracing.enabled=True (Boolean)",
            "35 [newrelic] newrelic.proxy_host=http://***@proxy.internal:3128 (Text)",
            "40 [newrelic:development] newrelic.monitor_mode=False (Boolean)",
            "43 [newrelic:staging] newrelic.app_name=Django Reports (Staging) (Text)",
            "44 [newrelic:staging] newrelic.monitor_mode=True (Boolean)",
            "47 [newrelic:production] newrelic.monitor_mode=True (Boolean)",
            "48 [newrelic:production] newrelic.shutdown_timeout=2.5 (Duration)");
        parameters.Single(p => p.Name == "newrelic.transaction_tracer.stack_trace_threshold").Value.TryGetDuration(out var threshold).Should().BeTrue();
        threshold.Should().Be(TimeSpan.FromMilliseconds(500));
        parameters.Single(p => p.Name == "newrelic.app_name" && p.Section == "newrelic").WrittenAs.Should().Be("app_name");
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void The_license_key_appears_in_no_observation_or_problem()
    {
        var context = Read();
        var broken = ReadText($"license_key = {LicenseKey}\n[newrelic]\nlicense_key {LicenseKey}\nLicense_Key = {LicenseKey}\nlicense_key = {LicenseKey}\n");

        foreach (var read in new[] { context, broken })
        {
            foreach (var parameter in read.Observations.OfType<ConfigParameter>())
            {
                parameter.Describe().Should().NotContain(LicenseKey);
                parameter.Value.Text.Should().NotContain(LicenseKey);
                parameter.Value.Items.Should().NotContain(i => i.Contains(LicenseKey, StringComparison.Ordinal));
                parameter.WrittenAs.Should().NotContain(LicenseKey);
            }

            read.Problems.Should().NotContain(p => p.Message.Contains(LicenseKey, StringComparison.Ordinal) || p.Message.Contains("s3cret", StringComparison.Ordinal));
        }

        context.Observations.Should().NotContain(o => o.Describe().Contains("s3cret", StringComparison.Ordinal));
        broken.Observations.OfType<ConfigParameter>().Single(p => p.Name == "newrelic.license_key").Should().Match<ConfigParameter>(p =>
            p.Value.Text == "***" && p.WrittenAs == "License_Key" && p.Source.Line == 4);
    }

    [Fact]
    public void Configparser_errors_are_reported_with_their_lines_and_the_rest_is_read()
    {
        var context = ReadText("""
            app_name = orphan
            [newrelic]
            monitor_mode = true
            this line has no delimiter
            monitor_mode = false
            [newrelic
            [newrelic]
            log_level: debug
            transaction_tracer.top_n = 5
            """);

        context.Problems.Select(p => p.Location.Line).Should().Equal(1, 4, 5, 6, 7);
        context.Problems[2].Message.Should().Contain("DuplicateOptionError");
        context.Observations.OfType<ConfigParameter>().Skip(1).Select(p => $"{p.Source.Line} {p.Name}={p.Value}").Should().Equal(
            "3 newrelic.monitor_mode=True", "8 newrelic.log_level=debug", "9 newrelic.transaction_tracer.top_n=5");
        context.Observations.OfType<ConfigParameter>().Last().Value.Kind.Should().Be(SettingValueKind.Integer);
    }

    [Fact]
    public void The_reader_recognises_newrelic_ini_by_name_or_section_and_not_error_logs()
    {
        var reader = new NewRelicConfigReader();
        var head = File.ReadAllLines(MutatedInputs.Sample("metrics", "newrelic.ini")).Take(40).ToArray();

        reader.Recognize("newrelic.ini", head).Should().BeGreaterThan(80);
        reader.Recognize("agent.cfg", ["[newrelic]", "app_name = x"]).Should().BeGreaterThan(50);
        reader.Recognize("newrelic-staging.ini", ["# empty"]).Should().BeGreaterThan(50);
        reader.Recognize("setup.cfg", ["[metadata]", "name = app"]).Should().Be(0);
        reader.Recognize("error.log", File.ReadAllLines(MutatedInputs.Sample("gunicorn", "error-23.log"))).Should().Be(0);
        new GunicornErrorLogReader().Recognize("newrelic.ini", head).Should().Be(0);
    }

    [Fact]
    public void NewRelicConfigReader_survives_mutated_input()
    {
        var elapsed = MutatedInputs.Run(new NewRelicConfigReader(), [MutatedInputs.Sample("metrics", "newrelic.ini")], seed: 1729);

        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }
}
