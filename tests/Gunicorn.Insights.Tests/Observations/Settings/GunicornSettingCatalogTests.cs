using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Tests.Observations.Settings;

public class GunicornSettingCatalogTests
{
    [Theory]
    [InlineData("-w", "workers")]
    [InlineData("--workers", "workers")]
    [InlineData("workers", "workers")]
    [InlineData("WEB_CONCURRENCY", "workers")]
    [InlineData("--workers=4", "workers")]
    [InlineData("-k", "worker_class")]
    [InlineData("--worker-class", "worker_class")]
    [InlineData("worker-class", "worker_class")]
    [InlineData("worker_class", "worker_class")]
    [InlineData("--preload", "preload_app")]
    [InlineData("-t", "timeout")]
    [InlineData("--keep-alive", "keepalive")]
    [InlineData("--access-logfile", "accesslog")]
    [InlineData("--log-file", "errorlog")]
    [InlineData("--error-logfile", "errorlog")]
    [InlineData("--limit-request-field_size", "limit_request_field_size")]
    [InlineData("--no-sendfile", "sendfile")]
    [InlineData("--statsd-host", "statsd_host")]
    [InlineData("--worker-tmp-dir", "worker_tmp_dir")]
    [InlineData("-e", "raw_env")]
    [InlineData("--pid", "pidfile")]
    [InlineData("-n", "proc_name")]
    [InlineData("--log-syslog-to", "syslog_addr")]
    [InlineData("--log-config", "logconfig")]
    [InlineData("--paster", "paste")]
    [InlineData("FORWARDED_ALLOW_IPS", "forwarded_allow_ips")]
    [InlineData("--graceful", "graceful_timeout")]
    public void Every_spelling_resolves_to_its_canonical_setting(string spelling, string expected)
    {
        GunicornSettingCatalog.TryResolve(spelling, out var setting).Should().BeTrue();
        setting!.Name.Should().Be(expected);
    }

    [Theory]
    [InlineData("wokers")]
    [InlineData("--keepalive")]
    [InlineData("Workers")]
    [InlineData("-W")]
    [InlineData("web_concurrency")]
    [InlineData("PORT")]
    [InlineData("--worker")]
    [InlineData("--log")]
    [InlineData("")]
    [InlineData("=4")]
    public void Unknown_or_ambiguous_spellings_do_not_resolve(string spelling)
    {
        GunicornSettingCatalog.TryResolve(spelling, out _).Should().BeFalse();
    }

    [Fact]
    public void Get_throws_for_a_name_that_is_no_setting()
    {
        var act = () => GunicornSettingCatalog.Get("worker_count");

        act.Should().Throw<KeyNotFoundException>().WithMessage("*worker_count*");
    }

    [Fact]
    public void Setting_names_are_unique()
    {
        GunicornSettingCatalog.All.Select(s => s.Name).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Every_flag_maps_to_exactly_one_setting()
    {
        var flags = GunicornSettingCatalog.All.SelectMany(s => s.CommandLineFlags.Select(f => (Flag: f, s.Name))).ToList();

        flags.Select(f => f.Flag).Should().OnlyHaveUniqueItems();
        foreach (var (flag, name) in flags)
        {
            GunicornSettingCatalog.Get(flag).Name.Should().Be(name, because: $"{flag} is a flag of {name}");
        }
    }

    [Fact]
    public void The_catalog_holds_the_facts_table_and_the_settings_it_misses()
    {
        var names = GunicornSettingCatalog.All.Select(s => s.Name).ToHashSet();

        names.Should().HaveCount(119);
        names.Should().Contain(["statsd_host", "pythonpath", "paste", "proc_name", "pidfile", "worker_tmp_dir", "keyfile",
            "certfile", "ca_certs", "ciphers", "accesslog", "tmp_upload_dir", "logconfig", "logconfig_json", "wsgi_app",
            "syslog_prefix", "enable_backlog_metric", "tolerate_dangerous_framing", "control_socket_disable"]);
    }

    [Fact]
    public void Defaults_are_gunicorns()
    {
        Default("timeout").TryGetDuration(out var timeout).Should().BeTrue();
        timeout.Should().Be(TimeSpan.FromSeconds(30));
        Default("graceful_timeout").TryGetDuration(out var graceful).Should().BeTrue();
        graceful.Should().Be(TimeSpan.FromSeconds(30));
        Default("keepalive").TryGetDuration(out var keepalive).Should().BeTrue();
        keepalive.Should().Be(TimeSpan.FromSeconds(2));
        Default("workers").Should().Be(SettingValue.Integer(1));
        Default("worker_class").Should().Be(SettingValue.FromText("sync"));
        Default("threads").Should().Be(SettingValue.Integer(1));
        Default("backlog").Should().Be(SettingValue.Integer(2048));
        Default("worker_connections").Should().Be(SettingValue.Integer(1000));
        Default("max_requests").Should().Be(SettingValue.Integer(0));
        Default("limit_request_line").Should().Be(SettingValue.Integer(4094));
        Default("bind").Items.Should().Equal("127.0.0.1:8000");
        Default("errorlog").Text.Should().Be("-");
        Default("forwarded_allow_ips").Items.Should().Equal("127.0.0.1", "::1");
        Default("access_log_format").Text.Should().Be("%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"");
    }

    [Fact]
    public void Settings_whose_default_is_none_or_machine_dependent_have_no_default_value()
    {
        GunicornSettingCatalog.WorkerTmpDir.Default.Should().BeNull();
        GunicornSettingCatalog.WorkerTmpDir.DefaultDescription.Should().Contain("/tmp");
        GunicornSettingCatalog.StatsdHost.Default.Should().BeNull();
        GunicornSettingCatalog.AccessLog.Default.Should().BeNull();
        GunicornSettingCatalog.Get("user").Default.Should().BeNull();
        GunicornSettingCatalog.Get("chdir").Default.Should().BeNull();
        GunicornSettingCatalog.Get("post_fork").Default.Should().BeNull();
        GunicornSettingCatalog.Get("post_fork").IsServerHook.Should().BeTrue();
    }

    [Fact]
    public void Metadata_describes_flags_environment_and_versions()
    {
        GunicornSettingCatalog.Workers.EnvironmentVariable.Should().Be("WEB_CONCURRENCY");
        GunicornSettingCatalog.Bind.EnvironmentVariable.Should().Be("PORT");
        GunicornSettingCatalog.Bind.Accumulates.Should().BeTrue();
        GunicornSettingCatalog.PreloadApp.FlagValue.Should().Be(SettingValue.Boolean(true));
        GunicornSettingCatalog.Get("sendfile").FlagValue.Should().Be(SettingValue.Boolean(false));
        GunicornSettingCatalog.Timeout.FlagValue.Should().BeNull();
        GunicornSettingCatalog.Get("secure_scheme_headers").IsConfigFileOnly.Should().BeTrue();
        GunicornSettingCatalog.Get("config").IsCommandLineOnly.Should().BeTrue();
        GunicornSettingCatalog.Get("print_config").IntroducedIn.Should().Be("20.1.0");
        GunicornSettingCatalog.Get("dogstatsd_tags").IntroducedIn.Should().Be("20.1.0");
        GunicornSettingCatalog.Get("enable_backlog_metric").IntroducedIn.Should().Be("26.1.0");
        GunicornSettingCatalog.Timeout.IntroducedIn.Should().BeNull();
        GunicornSettingCatalog.WorkerClass.DashedName.Should().Be("worker-class");
        GunicornSettingCatalog.Timeout.Section.Should().Be("Worker Processes");
    }

    [Theory]
    [InlineData("4", 4)]
    [InlineData("0x10", 16)]
    [InlineData("0o17", 15)]
    [InlineData("0b101", 5)]
    [InlineData(" 12 ", 12)]
    [InlineData("1_000", 1000)]
    [InlineData("0", 0)]
    [InlineData("5 * 60", 300)]
    public void Parse_reads_integers_as_python_int_with_base_zero(string text, long expected)
    {
        GunicornSettingCatalog.Backlog.Parse(text).Should().Be(SettingValue.Integer(expected));
    }

    [Theory]
    [InlineData("-1", "negative")]
    [InlineData("abc", "non-negative integer")]
    [InlineData("010", "non-negative integer")]
    [InlineData("1.5", "whole number")]
    [InlineData("99999999999999999999", "too large")]
    public void Parse_rejects_bad_integers_naming_the_setting_and_the_value(string text, string reason)
    {
        var act = () => GunicornSettingCatalog.Workers.Parse(text);

        act.Should().Throw<FormatException>()
            .Which.Message.Should().Contain("'workers'").And.Contain($"'{text}'").And.Contain(reason);
    }

    [Fact]
    public void Parse_reads_timeouts_as_durations_in_seconds()
    {
        GunicornSettingCatalog.Timeout.Parse("120").TryGetDuration(out var timeout).Should().BeTrue();
        timeout.Should().Be(TimeSpan.FromMinutes(2));

        var act = () => GunicornSettingCatalog.Timeout.Parse("120s");
        act.Should().Throw<FormatException>().WithMessage("Invalid value '120s' for Gunicorn setting 'timeout'*");
    }

    [Fact]
    public void Parse_reads_umask_with_a_leading_zero_as_octal()
    {
        GunicornSettingCatalog.Get("umask").Parse("022").Should().Be(SettingValue.Integer(18));
        GunicornSettingCatalog.Get("umask").Parse("0o007").Should().Be(SettingValue.Integer(7));
    }

    [Theory]
    [InlineData("multiprocessing.cpu_count() * 2 + 1", 4, 9)]
    [InlineData("2 * os.cpu_count() + 1", 4, 9)]
    [InlineData("(cpu_count() * 2) + 1", 8, 17)]
    [InlineData("len(os.sched_getaffinity(0)) * 2 + 1", 2, 5)]
    [InlineData("multiprocessing.cpu_count() // 2", 5, 2)]
    public void Parse_keeps_a_worker_formula_to_evaluate_with_the_cpu_count(string text, int cpus, long expected)
    {
        var value = GunicornSettingCatalog.Workers.Parse(text);

        value.Kind.Should().Be(SettingValueKind.CpuFormula);
        value.Text.Should().Be(text);
        value.TryEvaluate(cpus, out var workers).Should().BeTrue();
        workers.Should().Be(expected);
    }

    [Theory]
    [InlineData("True", true)]
    [InlineData("False", false)]
    [InlineData("true", true)]
    [InlineData("FALSE", false)]
    [InlineData("'true'", true)]
    public void Parse_reads_booleans_as_validate_bool_does(string text, bool expected)
    {
        GunicornSettingCatalog.PreloadApp.Parse(text).Should().Be(SettingValue.Boolean(expected));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("yes")]
    [InlineData("on")]
    public void Parse_rejects_booleans_gunicorn_does_not_accept(string text)
    {
        var act = () => GunicornSettingCatalog.PreloadApp.Parse(text);

        act.Should().Throw<FormatException>().WithMessage($"Invalid value '{text}' for Gunicorn setting 'preload_app'*");
    }

    [Fact]
    public void Parse_reads_lists_from_one_item_a_python_list_or_a_comma_separated_string()
    {
        GunicornSettingCatalog.Bind.Parse("unix:/run/gunicorn.sock").Items.Should().Equal("unix:/run/gunicorn.sock");
        GunicornSettingCatalog.Bind.Parse("['0.0.0.0:8000', \"[::]:8000\"]").Items.Should().Equal("0.0.0.0:8000", "[::]:8000");
        GunicornSettingCatalog.Get("forwarded_allow_ips").Parse("10.0.0.1, 10.0.0.2").Items.Should().Equal("10.0.0.1", "10.0.0.2");
    }

    [Fact]
    public void Parse_strips_quotes_from_text_and_checks_fixed_choices()
    {
        GunicornSettingCatalog.WorkerClass.Parse("'gevent'").Should().Be(SettingValue.FromText("gevent"));
        GunicornSettingCatalog.Get("header_map").Parse("REFUSE").Should().Be(SettingValue.FromText("refuse"));

        var act = () => GunicornSettingCatalog.Get("reload_engine").Parse("watchdog");
        act.Should().Throw<FormatException>().WithMessage("Invalid value 'watchdog' for Gunicorn setting 'reload_engine': expected one of auto, poll, inotify.");
    }

    private static SettingValue Default(string name) =>
        GunicornSettingCatalog.Get(name).Default ?? throw new InvalidOperationException($"{name} has no default");
}
