using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Settings;

namespace Gunicorn.Insights.Tests.Observations.Settings;

public class GunicornConfigurationTests
{
    private static readonly SourceLocation ConfigFile = new("/app/gunicorn.conf.py", 3);

    [Fact]
    public void Without_parameters_every_setting_with_a_default_is_filled_and_marked_default()
    {
        var configuration = GunicornConfiguration.Resolve([]);

        configuration.Settings.Should().OnlyContain(p => p.IsDefault && p.Origin == SettingOrigin.Default);
        configuration.Settings.Select(p => p.Name).Should().BeInAscendingOrder(StringComparer.Ordinal);
        configuration.Settings.Should().HaveCount(GunicornSettingCatalog.All.Count(s => s.Default is not null));
        configuration.Timeout.Should().Be(TimeSpan.FromSeconds(30));
        configuration.GracefulTimeout.Should().Be(TimeSpan.FromSeconds(30));
        configuration.Keepalive.Should().Be(TimeSpan.FromSeconds(2));
        configuration.WorkerCount(cpuCount: null).Should().Be(1);
        configuration.WorkerClass.Should().Be("sync");
        configuration.EffectiveWorkerClass.Should().Be("sync");
        configuration.Threads.Should().Be(1);
        configuration.Backlog.Should().Be(2048);
        configuration.Bind.Should().Equal("127.0.0.1:8000");
        configuration.BindsUnixSocket.Should().BeFalse();
        configuration.WorkerTmpDir.Should().BeNull();
        configuration.PreloadApp.Should().BeFalse();
        configuration.MaxRequests.Should().Be(0);
        configuration.WorkerConnections.Should().Be(1000);
        configuration.AccessLog.Should().BeNull();
        configuration.AccessLogFormat.Should().Be("%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"");
        configuration.ErrorLog.Should().Be("-");
        configuration.StatsdHost.Should().BeNull();
        configuration.TryGet("statsd_host", out _).Should().BeFalse();
        configuration.Source.Should().Be(SourceLocation.Host("gunicorn defaults"));
        configuration.Describe().Should().Be("workers=1 worker_class=sync timeout=30s bind=127.0.0.1:8000");
    }

    [Fact]
    public void The_command_line_beats_gunicorn_cmd_args_which_beats_the_config_file()
    {
        var configuration = GunicornConfiguration.Resolve(
        [
            Param("timeout", SettingValue.Seconds(120), SettingOrigin.CommandLine, new SourceLocation("/etc/systemd/system/app.service", 9), "-t"),
            Param("timeout", SettingValue.Seconds(60), SettingOrigin.CommandLineEnvironment, new SourceLocation("/app/.env", 1)),
            Param("timeout", SettingValue.Seconds(90), SettingOrigin.ConfigurationFile, ConfigFile),
            Param("workers", SettingValue.Integer(3), SettingOrigin.ConfigurationFile, ConfigFile),
            Param("workers", SettingValue.Integer(5), SettingOrigin.CommandLineEnvironment, new SourceLocation("/app/.env", 1)),
        ]);

        configuration.Timeout.Should().Be(TimeSpan.FromSeconds(120));
        configuration["timeout"].WrittenAs.Should().Be("-t");
        configuration["-t"].Origin.Should().Be(SettingOrigin.CommandLine);
        configuration.WorkerCount(null).Should().Be(5);
        configuration.Overridden.Should().HaveCount(3);
        configuration.Source.Should().Be(new SourceLocation("/etc/systemd/system/app.service", 9));
    }

    [Fact]
    public void Within_one_config_file_the_later_line_wins_whatever_the_input_order()
    {
        var configuration = GunicornConfiguration.Resolve(
        [
            Param("timeout", SettingValue.Seconds(300), SettingOrigin.ConfigurationFile, ConfigFile with { Line = 20 }),
            Param("timeout", SettingValue.Seconds(30), SettingOrigin.ConfigurationFile, ConfigFile with { Line = 4 }),
        ]);

        configuration.Timeout.Should().Be(TimeSpan.FromMinutes(5));
        configuration["timeout"].Source.Line.Should().Be(20);
    }

    [Fact]
    public void Web_concurrency_sets_workers_but_a_config_file_beats_it()
    {
        var fromEnvironment = Param("workers", SettingValue.Integer(4), SettingOrigin.EnvironmentDefault, new SourceLocation("heroku config"), "WEB_CONCURRENCY");

        GunicornConfiguration.Resolve([fromEnvironment]).WorkerCount(null).Should().Be(4);
        GunicornConfiguration.Resolve([fromEnvironment]).Settings.Single(p => p.Name == "workers").IsDefault.Should().BeFalse();

        var configuration = GunicornConfiguration.Resolve(
            [Param("workers", SettingValue.Integer(2), SettingOrigin.ConfigurationFile, ConfigFile), fromEnvironment]);

        configuration.WorkerCount(null).Should().Be(2);
    }

    [Fact]
    public void A_web_concurrency_variable_from_the_platform_ranks_as_an_environment_default()
    {
        var platform = new ConfigParameter(ConfigurationScope.Platform, "WEB_CONCURRENCY", SettingValue.FromText("6"),
            SettingOrigin.ConfigurationFile, new SourceLocation("Dockerfile", 12));

        var configuration = GunicornConfiguration.Resolve([platform]);

        configuration.WorkerCount(null).Should().Be(6);
        configuration["workers"].Origin.Should().Be(SettingOrigin.EnvironmentDefault);
        configuration["workers"].WrittenAs.Should().Be("WEB_CONCURRENCY");
    }

    [Fact]
    public void Port_in_the_environment_binds_all_interfaces_unless_bind_is_set()
    {
        var port = new ConfigParameter(ConfigurationScope.Platform, "PORT", SettingValue.Integer(8080),
            SettingOrigin.EnvironmentDefault, new SourceLocation("cloud run"));

        GunicornConfiguration.Resolve([port]).Bind.Should().Equal("0.0.0.0:8080");

        var configuration = GunicornConfiguration.Resolve(
            [port, Param("bind", SettingValue.List(["unix:/run/gunicorn.sock"]), SettingOrigin.ConfigurationFile, ConfigFile)]);
        configuration.Bind.Should().Equal("unix:/run/gunicorn.sock");
        configuration.BindsUnixSocket.Should().BeTrue();
    }

    [Fact]
    public void Several_bind_flags_on_one_command_line_accumulate()
    {
        var unit = "/etc/systemd/system/app.service";
        var configuration = GunicornConfiguration.Resolve(
        [
            Param("bind", SettingValue.List(["0.0.0.0:9000"]), SettingOrigin.ConfigurationFile, ConfigFile),
            Param("bind", SettingValue.List(["[::1]:8000"]), SettingOrigin.CommandLine, new SourceLocation(unit, 11), "-b"),
            Param("bind", SettingValue.List(["127.0.0.1:8000"]), SettingOrigin.CommandLine, new SourceLocation(unit, 10), "--bind"),
        ]);

        configuration.Bind.Should().Equal("127.0.0.1:8000", "[::1]:8000");
        configuration["bind"].Origin.Should().Be(SettingOrigin.CommandLine);
        configuration.Overridden.Should().ContainSingle().Which.Origin.Should().Be(SettingOrigin.ConfigurationFile);
    }

    [Fact]
    public void Sync_workers_with_several_threads_run_as_gthread()
    {
        var configuration = GunicornConfiguration.Resolve(
            [Param("threads", SettingValue.Integer(4), SettingOrigin.CommandLine, new SourceLocation("Procfile", 1), "--threads")]);

        configuration.WorkerClass.Should().Be("sync");
        configuration.EffectiveWorkerClass.Should().Be("gthread");
        configuration.Describe().Should().Be("workers=1 worker_class=gthread (configured sync) threads=4 timeout=30s bind=127.0.0.1:8000");
    }

    [Fact]
    public void Other_worker_classes_keep_their_name_with_threads()
    {
        var configuration = GunicornConfiguration.Resolve(
        [
            Param("threads", SettingValue.Integer(4), SettingOrigin.ConfigurationFile, ConfigFile),
            Param("worker_class", SettingValue.FromText("uvicorn.workers.UvicornWorker"), SettingOrigin.ConfigurationFile, ConfigFile),
        ]);

        configuration.EffectiveWorkerClass.Should().Be("uvicorn.workers.UvicornWorker");
    }

    [Fact]
    public void A_worker_formula_is_evaluated_with_the_cpu_count()
    {
        var formula = GunicornSettingCatalog.Workers.Parse("multiprocessing.cpu_count() * 2 + 1");
        var configuration = GunicornConfiguration.Resolve([Param("workers", formula, SettingOrigin.ConfigurationFile, ConfigFile)]);

        configuration.Workers.Kind.Should().Be(SettingValueKind.CpuFormula);
        configuration.WorkerCount(4).Should().Be(9);
        configuration.WorkerCount(null).Should().BeNull();
    }

    [Fact]
    public void Timeout_zero_disables_the_worker_timeout()
    {
        var configuration = GunicornConfiguration.Resolve([Param("timeout", SettingValue.Seconds(0), SettingOrigin.CommandLine, new SourceLocation("Procfile", 1))]);

        configuration.TimeoutDisabled.Should().BeTrue();
        configuration.Describe().Should().Contain("timeout=0 (disabled)");
    }

    [Fact]
    public void Only_parameters_of_the_requested_instance_count()
    {
        var parameters = new[]
        {
            Param("workers", SettingValue.Integer(8), SettingOrigin.ConfigurationFile, ConfigFile) with { Instance = "web-1" },
            Param("workers", SettingValue.Integer(2), SettingOrigin.ConfigurationFile, ConfigFile) with { Instance = "web-2" },
            new ConfigParameter(ConfigurationScope.Nginx, "workers", SettingValue.Integer(99), SettingOrigin.ConfigurationFile, ConfigFile) { Instance = "web-1" },
        };

        var web1 = GunicornConfiguration.Resolve(parameters, "web-1");

        web1.WorkerCount(null).Should().Be(8);
        web1.Instance.Should().Be("web-1");
        web1.Settings.Should().OnlyContain(p => p.Instance == "web-1");
        GunicornConfiguration.Resolve(parameters, "web-2").WorkerCount(null).Should().Be(2);
        GunicornConfiguration.Resolve(parameters).WorkerCount(null).Should().Be(1);
    }

    [Fact]
    public void Unknown_settings_are_kept_aside()
    {
        var unknown = Param("worker_count", SettingValue.Integer(4), SettingOrigin.ConfigurationFile, ConfigFile);

        var configuration = GunicornConfiguration.Resolve([unknown]);

        configuration.UnknownSettings.Should().ContainSingle().Which.Should().Be(unknown);
        configuration.Settings.Should().NotContain(p => p.Name == "worker_count");
        configuration.TryGet("worker_count", out _).Should().BeFalse();
        var act = () => configuration["worker_count"];
        act.Should().Throw<KeyNotFoundException>();
    }

    [Fact]
    public void Values_given_as_text_are_read_with_the_settings_validator_and_bad_ones_set_aside()
    {
        var configuration = GunicornConfiguration.Resolve(
        [
            Param("timeout", SettingValue.FromText("0x78"), SettingOrigin.ConfigurationFile, ConfigFile),
            Param("preload_app", SettingValue.FromText("True"), SettingOrigin.ConfigurationFile, ConfigFile),
            Param("threads", SettingValue.FromText("lots"), SettingOrigin.ConfigurationFile, ConfigFile),
            Param("worker_tmp_dir", SettingValue.FromText("/dev/shm"), SettingOrigin.ConfigurationFile, ConfigFile),
            Param("statsd_host", SettingValue.FromText("localhost:8125"), SettingOrigin.ConfigurationFile, ConfigFile),
            Param("accesslog", SettingValue.FromText("None"), SettingOrigin.EffectiveDump, new SourceLocation("/var/log/gunicorn/error.log", 40)),
        ]);

        configuration.Timeout.Should().Be(TimeSpan.FromSeconds(120));
        configuration.PreloadApp.Should().BeTrue();
        configuration.Threads.Should().Be(1);
        configuration.InvalidSettings.Should().ContainSingle().Which.Name.Should().Be("threads");
        configuration.WorkerTmpDir.Should().Be("/dev/shm");
        configuration.StatsdHost.Should().Be("localhost:8125");
        configuration.AccessLog.Should().BeNull();
        configuration.Source.Line.Should().Be(40);
    }

    [Fact]
    public void The_effective_dump_beats_the_command_line()
    {
        var configuration = GunicornConfiguration.Resolve(
        [
            Param("workers", SettingValue.Integer(9), SettingOrigin.EffectiveDump, new SourceLocation("error.log", 12)),
            Param("workers", SettingValue.Integer(4), SettingOrigin.CommandLine, new SourceLocation("Procfile", 1), "-w"),
            Param("worker_class", SettingValue.FromText("gevent"), SettingOrigin.EffectiveDump, new SourceLocation("error.log", 40)),
            Param("timeout", SettingValue.Seconds(120), SettingOrigin.EffectiveDump, new SourceLocation("error.log", 35)),
            Param("bind", SettingValue.List(["unix:/run/gunicorn.sock"]), SettingOrigin.EffectiveDump, new SourceLocation("error.log", 5)),
        ]);

        configuration.Describe().Should().Be("workers=9 worker_class=gevent timeout=120s bind=unix:/run/gunicorn.sock");
    }

    [Fact]
    public void Parameters_named_in_another_spelling_are_resolved_to_the_canonical_setting()
    {
        var configuration = GunicornConfiguration.Resolve(
            [Param("worker-class", SettingValue.FromText("gevent"), SettingOrigin.ConfigurationFile, ConfigFile)]);

        configuration.WorkerClass.Should().Be("gevent");
        configuration["worker_class"].WrittenAs.Should().Be("worker-class");
    }

    [Fact]
    public void Resolving_equal_parameters_again_gives_an_equal_configuration()
    {
        static ConfigParameter[] Read(string instance = "web-1", long timeout = 90, int line = 3) =>
        [
            Param("timeout", SettingValue.Seconds(timeout), SettingOrigin.ConfigurationFile, ConfigFile with { Line = line }) with { Instance = instance },
            Param("bind", SettingValue.List(["unix:/run/gunicorn.sock"]), SettingOrigin.ConfigurationFile, ConfigFile) with { Instance = instance },
        ];

        var first = GunicornConfiguration.Resolve(Read(), "web-1");
        var again = GunicornConfiguration.Resolve(Read(), "web-1");

        first.Timeout.Should().Be(TimeSpan.FromSeconds(90));
        first.Bind.Should().Equal("unix:/run/gunicorn.sock");
        again.Should().NotBeSameAs(first);
        again.Should().Be(first);
        again.GetHashCode().Should().Be(first.GetHashCode());
        GunicornConfiguration.Resolve(Read("web-2"), "web-2").Should().NotBe(first, "the instance differs");
        GunicornConfiguration.Resolve(Read(timeout: 30), "web-1").Should().NotBe(first, "the timeout differs");
        GunicornConfiguration.Resolve(Read(line: 4), "web-1").Should().NotBe(first, "the timeout comes from another line");
    }

    private static ConfigParameter Param(string name, SettingValue value, SettingOrigin origin, SourceLocation source, string? writtenAs = null) =>
        new(ConfigurationScope.Gunicorn, name, value, origin, source) { WrittenAs = writtenAs ?? name };
}
