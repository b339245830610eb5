using System.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.GunicornConfig;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Launch;
using Gunicorn.Insights.Readers.Tests.GunicornConfig;
using Gunicorn.Insights.Rules;

namespace Gunicorn.Insights.Readers.Tests.Launch;

public sealed class CommandLineReaderTests : IDisposable
{
    private static readonly string[] LaunchSamples =
        ["gunicorn.service", "gunicorn.socket", "Procfile", "Dockerfile", "Dockerfile.exec", "production.env", "start.sh", "cmdline"];

    private readonly string _folder = Directory.CreateTempSubdirectory("launch-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", "config", name);

    private static ReadContext Read(string name) => ReadFile(Sample(name), name);

    private static ReadContext ReadFile(string path, string? sourceName = null)
    {
        var context = new ReadContext(sourceName ?? Path.GetFileName(path));
        new CommandLineReader().Read(LineSource.FromFile(path), context);
        return context;
    }

    private static ReadContext ReadText(string name, string text)
    {
        var context = new ReadContext(name);
        new CommandLineReader().Read(LineSource.FromText(name, text), context);
        return context;
    }

    private static string[] Show(ReadContext context) => context.Observations.Select(o => o switch
    {
        ConfigParameter p => $"{p.Source.Line} {p.Scope} {p.Name}={p.Value.Text} [{p.Value.Kind}] as {p.WrittenAs} ({p.Origin})",
        LaunchCommand c => $"{c.Source.Line} launch {string.Join(' ', c.Words)}",
        _ => $"{o.Source.Line} {o.Describe()}",
    }).ToArray();

    private static string[] Problems(ReadContext context) => context.Problems.Select(p => p.ToString()).ToArray();

    [Fact]
    public void A_systemd_service_gives_the_launch_command_each_flag_on_its_own_line_the_environment_and_the_unit_settings()
    {
        var context = Read("gunicorn.service");

        Show(context).Should().Equal(
            "7 Systemd Type=notify [Text] as Type (ConfigurationFile)",
            "8 Systemd User=orders [Text] as User (ConfigurationFile)",
            "9 Systemd Group=www-data [Text] as Group (ConfigurationFile)",
            "10 Systemd WorkingDirectory=/srv/orders [Text] as WorkingDirectory (ConfigurationFile)",
            "11 Platform DJANGO_SETTINGS_MODULE=orders.settings [Text] as DJANGO_SETTINGS_MODULE (EnvironmentDefault)",
            "11 Platform NEW_RELIC_CONFIG_FILE=/etc/newrelic.ini [Text] as NEW_RELIC_CONFIG_FILE (EnvironmentDefault)",
            "12 Platform NEW_RELIC_LICENSE_KEY=*** [Text] as NEW_RELIC_LICENSE_KEY (EnvironmentDefault)",
            "12 Gunicorn workers=3 [Integer] as WEB_CONCURRENCY (EnvironmentDefault)",
            "13 Gunicorn timeout=90 [Duration] as --timeout (CommandLineEnvironment)",
            "13 Gunicorn loglevel=warning [Text] as --log-level (CommandLineEnvironment)",
            "14 Systemd EnvironmentFile=-/etc/default/orders [Text] as EnvironmentFile (ConfigurationFile)",
            "15 Systemd ExecStart=/srv/orders/venv/bin/newrelic-admin run-program /srv/orders/venv/bin/gunicorn --workers 5 "
                + "--bind unix:/run/gunicorn.sock -k gevent --timeout=120 --preload orders.wsgi:application [Text] as ExecStart (ConfigurationFile)",
            "15 launch /srv/orders/venv/bin/newrelic-admin run-program /srv/orders/venv/bin/gunicorn --workers 5 --bind unix:/run/gunicorn.sock "
                + "-k gevent --timeout=120 --preload orders.wsgi:application",
            "18 Gunicorn workers=5 [Integer] as --workers (CommandLine)",
            "19 Gunicorn bind=['unix:/run/gunicorn.sock'] [List] as --bind (CommandLine)",
            "20 Gunicorn worker_class=gevent [Text] as -k (CommandLine)",
            "20 Gunicorn timeout=120 [Duration] as --timeout (CommandLine)",
            "21 Gunicorn preload_app=True [Boolean] as --preload (CommandLine)",
            "23 Systemd ExecReload=/bin/kill -s HUP $MAINPID [Text] as ExecReload (ConfigurationFile)",
            "24 Systemd KillMode=mixed [Text] as KillMode (ConfigurationFile)",
            "25 Systemd TimeoutStopSec=1min 30s [Duration] as TimeoutStopSec (ConfigurationFile)",
            "26 Systemd Restart=on-failure [Text] as Restart (ConfigurationFile)",
            "27 Systemd RestartSec=5 [Duration] as RestartSec (ConfigurationFile)",
            "28 Systemd PrivateTmp=True [Boolean] as PrivateTmp (ConfigurationFile)");
        var launch = context.Observations.OfType<LaunchCommand>().Single();
        launch.Wrappers.Should().Equal("newrelic-admin");
        launch.Application.Should().Be("orders.wsgi:application");
        launch.RunsGunicorn.Should().BeTrue();
        context.Observations.OfType<ConfigParameter>().Single(p => p.Name == "TimeoutStopSec").Value.TryGetDuration(out var stop).Should().BeTrue();
        stop.Should().Be(TimeSpan.FromSeconds(90));
        context.Observations.Select(o => o.Describe()).Should().NotContain(d => d.Contains("0123456789abcdef", StringComparison.Ordinal));
        Problems(context).Should().BeEmpty();
    }

    [Fact]
    public void A_socket_unit_gives_its_listen_streams()
    {
        var context = Read("gunicorn.socket");

        Show(context).Should().Equal(
            "5 Systemd ListenStream=['/run/gunicorn.sock'] [List] as ListenStream (ConfigurationFile)",
            "7 Systemd ListenStream=['127.0.0.1:8000'] [List] as ListenStream (ConfigurationFile)",
            "8 Systemd SocketUser=www-data [Text] as SocketUser (ConfigurationFile)",
            "9 Systemd SocketMode=600 [Text] as SocketMode (ConfigurationFile)",
            "10 Systemd Backlog=4096 [Integer] as Backlog (ConfigurationFile)");
        Problems(context).Should().BeEmpty();
    }

    [Fact]
    public void A_procfile_gives_the_web_command_with_its_wrapper_and_prefix_environment()
    {
        var context = Read("Procfile");

        Show(context).Should().Equal(
            "3 Platform NEW_RELIC_CONFIG_FILE=newrelic.ini [Text] as NEW_RELIC_CONFIG_FILE (EnvironmentDefault)",
            "3 launch NEW_RELIC_CONFIG_FILE=newrelic.ini newrelic-admin run-program gunicorn orders.wsgi -w 4 --timeout 25 --max-requests=500 --log-file -",
            "3 Gunicorn workers=4 [Integer] as -w (CommandLine)",
            "3 Gunicorn timeout=25 [Duration] as --timeout (CommandLine)",
            "3 Gunicorn max_requests=500 [Integer] as --max-requests (CommandLine)",
            "3 Gunicorn errorlog=- [Text] as --log-file (CommandLine)");
        context.Observations.OfType<LaunchCommand>().Single().Wrappers.Should().Equal("newrelic-admin");
        Problems(context).Should().Equal("Procfile:5: warning: 'clock python clock.py' is not a Procfile line ('<process type>: <command>'); ignored");
    }

    [Fact]
    public void A_dockerfile_shell_form_cmd_of_the_final_stage_is_read_with_its_env()
    {
        var context = Read("Dockerfile");

        Show(context).Should().Equal(
            "10 Platform PYTHONUNBUFFERED=1 [Text] as PYTHONUNBUFFERED (EnvironmentDefault)",
            "11 Platform PORT=8000 [Integer] as PORT (EnvironmentDefault)",
            "12 Platform PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus [Text] as PROMETHEUS_MULTIPROC_DIR (EnvironmentDefault)",
            "13 Gunicorn workers=4 [Integer] as WEB_CONCURRENCY (EnvironmentDefault)",
            "18 launch gunicorn --bind 0.0.0.0:$PORT --threads 2 --worker-tmp-dir /dev/shm app.main:app",
            "18 Gunicorn bind=['0.0.0.0:$PORT'] [List] as --bind (CommandLine)",
            "20 Gunicorn threads=2 [Integer] as --threads (CommandLine)",
            "21 Gunicorn worker_tmp_dir=/dev/shm [Text] as --worker-tmp-dir (CommandLine)");
        Problems(context).Should().BeEmpty();
    }

    [Fact]
    public void A_dockerfile_exec_form_entrypoint_and_cmd_are_combined_and_inherited_by_a_later_stage()
    {
        var context = Read("Dockerfile.exec");

        Show(context).Should().Equal(
            "7 Gunicorn graceful_timeout=15 [Duration] as --graceful-timeout (CommandLineEnvironment)",
            "7 Gunicorn keepalive=10 [Duration] as --keep-alive (CommandLineEnvironment)",
            "3 launch /usr/local/bin/docker-entrypoint.sh gunicorn -k uvicorn.workers.UvicornWorker -b 0.0.0.0:8080 -b [::]:8080 --workers=2 api.main:app",
            "4 Gunicorn worker_class=uvicorn.workers.UvicornWorker [Text] as -k (CommandLine)",
            "4 Gunicorn bind=['0.0.0.0:8080'] [List] as -b (CommandLine)",
            "4 Gunicorn bind=['[::]:8080'] [List] as -b (CommandLine)",
            "4 Gunicorn workers=2 [Integer] as --workers (CommandLine)");
        GunicornConfiguration.Resolve(context.Observations.OfType<ConfigParameter>()).Bind.Should().Equal("0.0.0.0:8080", "[::]:8080");
        Problems(context).Should().BeEmpty();
    }

    [Fact]
    public void An_env_file_gives_gunicorn_cmd_args_web_concurrency_and_masked_secrets()
    {
        var context = Read("production.env");

        Show(context).Should().Equal(
            "2 Platform DJANGO_SETTINGS_MODULE=orders.settings [Text] as DJANGO_SETTINGS_MODULE (EnvironmentDefault)",
            "3 Gunicorn workers=6 [Integer] as WEB_CONCURRENCY (EnvironmentDefault)",
            "4 Gunicorn timeout=60 [Duration] as --timeout (CommandLineEnvironment)",
            "4 Gunicorn bind=['0.0.0.0:9000'] [List] as --bind (CommandLineEnvironment)",
            "4 Gunicorn worker_class=gthread [Text] as -k (CommandLineEnvironment)",
            "4 Gunicorn threads=8 [Integer] as --threads (CommandLineEnvironment)",
            "5 Platform DATABASE_URL=postgres://***@db.internal:5432/orders [Text] as DATABASE_URL (EnvironmentDefault)",
            "6 Platform NEW_RELIC_LICENSE_KEY=*** [Text] as NEW_RELIC_LICENSE_KEY (EnvironmentDefault)",
            "7 Gunicorn forwarded_allow_ips=['*'] [List] as FORWARDED_ALLOW_IPS (EnvironmentDefault)",
            "8 Platform PORT=9000 [Integer] as PORT (EnvironmentDefault)");
        context.Observations.Select(o => o.Describe()).Should().NotContain(d => d.Contains("hunter2", StringComparison.Ordinal) || d.Contains("NRAL", StringComparison.Ordinal));
        Problems(context).Should().BeEmpty();
    }

    [Fact]
    public void An_entrypoint_script_gives_the_exec_command_and_reports_unknown_flags_bad_values_and_expansions()
    {
        var context = Read("start.sh");

        Show(context).Should().Equal(
            "7 Platform PROMETHEUS_MULTIPROC_DIR=/tmp/metrics [Text] as PROMETHEUS_MULTIPROC_DIR (EnvironmentDefault)",
            "10 launch ddtrace-run gunicorn orders.wsgi:application --config /etc/orders/gunicorn.conf.py --workers $WORKERS --worker-class gevent "
                + "--bogus-flag --timeout abc --access-logfile -",
            "11 Gunicorn config=/etc/orders/gunicorn.conf.py [Text] as --config (CommandLine)",
            "13 Gunicorn worker_class=gevent [Text] as --worker-class (CommandLine)",
            "16 Gunicorn accesslog=- [Text] as --access-logfile (CommandLine)");
        Problems(context).Should().Equal(
            "start.sh:12: warning: '--workers $WORKERS' depends on a shell expansion that is not known here (nothing is expanded); ignored",
            "start.sh:14: warning: unknown or ambiguous Gunicorn flag '--bogus-flag' (Gunicorn would stop with 'unrecognized arguments'); ignored",
            "start.sh:15: warning: Invalid value 'abc' for Gunicorn setting 'timeout': expected a non-negative whole number of seconds (given as --timeout); "
                + "ignored: Gunicorn would refuse to start");
    }

    [Fact]
    public void A_proc_cmdline_file_is_split_at_nul_bytes()
    {
        var context = Read("cmdline");

        Show(context).Should().Equal(
            "1 launch /srv/orders/venv/bin/python3 /srv/orders/venv/bin/gunicorn -w 4 -b unix:/run/gunicorn.sock --preload orders.wsgi:application",
            "1 Gunicorn workers=4 [Integer] as -w (CommandLine)",
            "1 Gunicorn bind=['unix:/run/gunicorn.sock'] [List] as -b (CommandLine)",
            "1 Gunicorn preload_app=True [Boolean] as --preload (CommandLine)");
        context.Lines.Should().Be(1);
        context.Bytes.Should().Be(new FileInfo(Sample("cmdline")).Length);
        Problems(context).Should().BeEmpty();
    }

    [Fact]
    public void A_cmdline_copied_as_text_and_a_process_title_are_read_line_by_line()
    {
        var path = Path.Combine(_folder, "cmdline");
        File.WriteAllText(path, "gunicorn --workers=3 'orders.wsgi:application'\ngunicorn: master [orders]\n");

        var context = ReadFile(path);

        Show(context).Should().Equal(
            "1 launch gunicorn --workers=3 orders.wsgi:application",
            "1 Gunicorn workers=3 [Integer] as --workers (CommandLine)");
        Problems(context).Should().ContainSingle().Which.Should().StartWith(
            "cmdline:2: warning: 'gunicorn: master [orders]' is Gunicorn's process title (set with setproctitle), not its command line");
    }

    [Theory]
    [InlineData("gunicorn -w4 app:app", "workers=4 as -w")]
    [InlineData("gunicorn -w=4 app:app", "workers=4 as -w")]
    [InlineData("gunicorn --workers=4 app:app", "workers=4 as --workers")]
    [InlineData("gunicorn --max-requests-j 5 app:app", "max_requests_jitter=5 as --max-requests-j")]
    [InlineData("gunicorn --graceful 10 app:app", "graceful_timeout=10 as --graceful")]
    [InlineData("gunicorn -t 0 app:app", "timeout=0 as -t")]
    [InlineData("gunicorn -Dw 2 app:app", "daemon=True as -D|workers=2 as -w")]
    [InlineData("gunicorn --no-sendfile app:app", "sendfile=False as --no-sendfile")]
    [InlineData("gunicorn -b 127.0.0.1:8000 -b unix:/tmp/g.sock app:app", "bind=['127.0.0.1:8000'] as -b|bind=['unix:/tmp/g.sock'] as -b")]
    [InlineData("gunicorn --forwarded-allow-ips='10.0.0.1,10.0.0.2' app:app", "forwarded_allow_ips=['10.0.0.1', '10.0.0.2'] as --forwarded-allow-ips")]
    [InlineData("gunicorn --limit-request-field_size 16380 app:app", "limit_request_field_size=16380 as --limit-request-field_size")]
    [InlineData("gunicorn -e SECRET_KEY=abc -e DEBUG=0 app:app", "raw_env=['SECRET_KEY=***'] as -e|raw_env=['DEBUG=0'] as -e")]
    [InlineData("gunicorn -m 022 app:app", "umask=18 as -m")]
    [InlineData("gunicorn app:app -- --workers 9", "")]
    [InlineData("gunicorn --version", "")]
    [InlineData("python -m gunicorn -k gevent app:app", "worker_class=gevent as -k")]
    [InlineData("exec env WEB_CONCURRENCY=5 gunicorn app:app", "workers=5 as WEB_CONCURRENCY")]
    [InlineData("sh -c 'python manage.py migrate && exec gunicorn -w 2 app:app'", "workers=2 as -w")]
    [InlineData("/bin/bash -lc \"newrelic-admin run-program gunicorn --threads=4 app:app\"", "threads=4 as --threads")]
    [InlineData("poetry run gunicorn --timeout \"$((60 * 2))\" app:app", "")]
    [InlineData("pip install gunicorn==23.0.0", "")]
    [InlineData("echo gunicorn -w 4", "")]
    public void Gunicorn_arguments_are_read_as_argparse_reads_them(string command, string expected)
    {
        var context = ReadText("run.sh", command);

        var parameters = context.Observations.OfType<ConfigParameter>().Where(p => p.Scope == ConfigurationScope.Gunicorn)
            .Select(p => $"{p.Name}={p.Value.Text} as {p.WrittenAs}");
        string.Join('|', parameters).Should().Be(expected);
    }

    [Theory]
    [InlineData("gunicorn app:app --workers", "the flag --workers expects a value and has none (Gunicorn would stop with 'expected one argument'); ignored")]
    [InlineData("gunicorn --preload=yes app:app", "the flag --preload takes no value, but '--preload=yes' gives one (Gunicorn would stop with 'ignored explicit argument'); ignored")]
    [InlineData("gunicorn -x app:app", "unknown Gunicorn flag '-x' in '-x' (Gunicorn would stop with 'unrecognized arguments'); ignored")]
    [InlineData("gunicorn --work 2 app:app", "unknown or ambiguous Gunicorn flag '--work' (Gunicorn would stop with 'unrecognized arguments'); ignored")]
    [InlineData("gunicorn -w -3 app:app", "Invalid value '-3' for Gunicorn setting 'workers': the value must not be negative (given as -w); ignored: Gunicorn would refuse to start")]
    [InlineData("gunicorn --reload-engine fast app:app", "Invalid value 'fast' for Gunicorn setting 'reload_engine': expected one of auto, poll, inotify (given as --reload-engine); ignored: Gunicorn would refuse to start")]
    [InlineData("WEB_CONCURRENCY=many gunicorn app:app", "Invalid value 'many' for Gunicorn setting 'workers': expected a non-negative integer (decimal, 0x hex, 0o octal or 0b binary) (given as the environment variable WEB_CONCURRENCY); ignored")]
    [InlineData("WEB_CONCURRENCY=$CPUS gunicorn app:app", "WEB_CONCURRENCY=$CPUS refers to another variable, which is not expanded here; ignored")]
    [InlineData("gunicorn -w $(( $(nproc) * 2 + 1 )) app:app", "'-w $(( $(nproc) * 2 + 1 ))' depends on a shell expansion that is not known here (nothing is expanded); ignored")]
    public void Flags_gunicorn_would_refuse_are_warnings_with_their_line(string command, string message)
    {
        var context = ReadText("run.sh", "#!/bin/sh\n" + command + "\n");

        context.Problems.Should().ContainSingle().Which.Should().Match<InputDiagnostic>(p => p.Message == message && p.Location.Line == 2);
        context.Observations.OfType<LaunchCommand>().Should().ContainSingle();
    }

    [Fact]
    public void Shell_words_are_split_like_a_posix_shell_without_expanding_anything()
    {
        var words = ShellWords.Split("""A="x y" gunicorn 'it''s' "a \"b\" \$c" $(nproc --all) ${PORT:-80} a\ b # comment""", systemd: false, out var open);

        words.Select(w => w.Text).Should().Equal("A=x y", "gunicorn", "its", "a \"b\" $c", "$(nproc --all)", "${PORT:-80}", "a b");
        open.Should().BeFalse();
        ShellWords.Split("gunicorn 'unclosed", systemd: false, out open);
        open.Should().BeTrue();
        ShellWords.SimpleCommands(ShellWords.Split("cd /app && gunicorn app:app 2>&1 >> /var/log/g.log; echo done", systemd: false, out _))
            .Select(c => string.Join(' ', c.Select(w => w.Text))).Should().Equal("cd /app", "gunicorn app:app", "echo done");
        ShellWords.Split("\"NAME=a b\" X=\\x41 'y'", systemd: true, out _).Select(w => w.Text).Should().Equal("NAME=a b", "X=x41", "y");
    }

    [Fact]
    public void License_keys_and_secrets_never_appear_in_launch_commands()
    {
        var context = ReadText("Procfile", "web: NEW_RELIC_LICENSE_KEY=0123456789abcdef0123456789abcdef01234567 newrelic-admin run-program gunicorn "
            + "-e DATABASE_URL=postgres://orders:pa55@db/orders -e DB_PASSWORD=pa55 app:app\n");

        var launch = context.Observations.OfType<LaunchCommand>().Single();
        launch.Words.Should().Equal("NEW_RELIC_LICENSE_KEY=***", "newrelic-admin", "run-program", "gunicorn", "-e", "DATABASE_URL=postgres://***@db/orders",
            "-e", "DB_PASSWORD=***", "app:app");
        context.Observations.Select(o => o.Describe()).Should().NotContain(d => d.Contains("pa55", StringComparison.Ordinal) || d.Contains("0123456789abcdef", StringComparison.Ordinal));
        new CommandLineReader().Recognize("Procfile", ["web: newrelic-admin generate-config 0123456789abcdef0123456789abcdef01234567 newrelic.ini"]).Should().BeGreaterThan(0);
        LaunchInterpreter.RedactWord("0123456789abcdef0123456789abcdef01234567", "generate-config").Should().Be("***");
        ReadText("Procfile", "oops newrelic-admin generate-config 0123456789abcdef0123456789abcdef01234567\n").Problems[0]
            .Message.Should().Be("'oops newrelic-admin generate-config ***' is not a Procfile line ('<process type>: <command>'); ignored");
    }

    [Fact]
    public void Gunicorn_applies_config_file_then_gunicorn_cmd_args_then_the_command_line()
    {
        var config = ReadConfig("gunicorn.conf.py");
        var environment = Read("production.env");
        var parameters = config.Observations.Concat(environment.Observations).OfType<ConfigParameter>().ToList();

        var withoutCommand = GunicornConfiguration.Resolve(parameters);

        withoutCommand.Timeout.Should().Be(TimeSpan.FromSeconds(60), "GUNICORN_CMD_ARGS beats the config file's 120");
        withoutCommand.Bind.Should().Equal("0.0.0.0:9000");
        withoutCommand.Threads.Should().Be(8);
        withoutCommand.Workers.Kind.Should().Be(SettingValueKind.CpuFormula, "the config file beats WEB_CONCURRENCY");
        withoutCommand["forwarded_allow_ips"].Value.Items.Should().Equal("10.0.0.0/8", "127.0.0.1");
        withoutCommand["workers"].Source.ToString().Should().Be("gunicorn.conf.py:10");

        parameters.AddRange(Read("Procfile").Observations.OfType<ConfigParameter>());
        var withCommand = GunicornConfiguration.Resolve(parameters);

        withCommand.Timeout.Should().Be(TimeSpan.FromSeconds(25), "the command line beats GUNICORN_CMD_ARGS and the config file");
        withCommand["timeout"].Source.ToString().Should().Be("Procfile:3");
        withCommand.WorkerCount(16).Should().Be(4);
        withCommand.Overridden.Where(p => p.Name == "timeout").Select(p => p.Origin)
            .Should().BeEquivalentTo([SettingOrigin.ConfigurationFile, SettingOrigin.CommandLineEnvironment]);
        withCommand.UnknownSettings.Should().BeEmpty();
        withCommand.InvalidSettings.Should().BeEmpty();
    }

    [Fact]
    public void A_systemd_unit_and_its_socket_resolve_to_the_command_line_values()
    {
        var parameters = Read("gunicorn.service").Observations.Concat(Read("gunicorn.socket").Observations).OfType<ConfigParameter>().ToList();

        var configuration = GunicornConfiguration.Resolve(parameters);

        configuration.Timeout.Should().Be(TimeSpan.FromSeconds(120));
        configuration.WorkerCount(null).Should().Be(5);
        configuration.WorkerClass.Should().Be("gevent");
        configuration.PreloadApp.Should().BeTrue();
        configuration.LogLevel.Should().Be("warning");
        parameters.Where(p => p.Scope == ConfigurationScope.Systemd && p.Name == "ListenStream").SelectMany(p => p.Value.Items)
            .Should().Equal("/run/gunicorn.sock", "127.0.0.1:8000");
    }

    [Fact]
    public void Continuations_comments_and_multiple_commands_in_units_and_dockerfiles_are_handled()
    {
        var unit = ReadText("app.service", "[Service]\nExecStart=/usr/bin/gunicorn \\\n  -w 2 \\\n  app:app\nExecStart=\n\n[Unit]\nDescription=x\nstray line\n");
        Show(unit).Should().Equal(
            "2 Systemd ExecStart=/usr/bin/gunicorn -w 2 app:app [Text] as ExecStart (ConfigurationFile)",
            "2 launch /usr/bin/gunicorn -w 2 app:app",
            "3 Gunicorn workers=2 [Integer] as -w (CommandLine)");
        Problems(unit).Should().Equal("app.service:9: warning: 'stray line' is not a KEY=VALUE line; ignored");

        var docker = ReadText("Dockerfile", "# escape=`\nFROM python\nRUN <<EOF\nCMD gunicorn -w 9 wrong:app\nEOF\nENTRYPOINT gunicorn `\n  -w 3 app:app\nCMD [\"ignored\"]\n");
        Show(docker).Should().Equal("6 launch gunicorn -w 3 app:app", "7 Gunicorn workers=3 [Integer] as -w (CommandLine)");
        Problems(docker).Should().BeEmpty();
    }

    [Fact]
    public void The_built_in_rules_diagnose_the_new_relic_wrapper_from_a_systemd_unit_without_showing_the_license_key()
    {
        var observations = Read("gunicorn.service").Observations;
        var session = RuleSet.FromAssemblies(typeof(RuleDescriptors).Assembly).Compile().CreateSession();
        session.InsertAll(observations);

        session.Fire();

        var diagnosis = session.Diagnoses.Should().Contain(d => d.Id == "GI3007").Subject;
        diagnosis.Message.Should().Contain("newrelic-admin run-program").And.Contain("/etc/newrelic.ini");
        diagnosis.Evidence.Select(e => e.Location.ToString()).Should().Contain("gunicorn.service:15");
        diagnosis.Evidence.Select(e => e.ToString()).Should().NotContain(e => e.Contains("0123456789abcdef", StringComparison.Ordinal));
    }

    [Fact]
    public void The_reader_recognises_launch_files_and_not_logs_configs_or_notes()
    {
        var reader = new CommandLineReader();

        foreach (var name in LaunchSamples)
        {
            reader.Recognize(name, LineSource.FromFile(Sample(name)).Head()).Should().BeGreaterThanOrEqualTo(75, name);
            new GunicornErrorLogReader().Recognize(name, LineSource.FromFile(Sample(name)).Head()).Should().Be(0, name);
        }

        reader.Recognize("error.log", File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Samples", "gunicorn", "error-23.log"))).Should().Be(0);
        reader.Recognize("error", File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Samples", "gunicorn", "error-23.log"))).Should().Be(0);
        reader.Recognize("notes.txt", ["the incident started at midnight"]).Should().Be(0);
        reader.Recognize("gunicorn.conf.py", File.ReadAllLines(Sample("gunicorn.conf.py"))).Should().Be(0);
        reader.Recognize("command.txt", ["NEW_RELIC_CONFIG_FILE=newrelic.ini newrelic-admin run-program gunicorn app:app"]).Should().Be(60);
        reader.Recognize("override.conf", ["[Service]", "ExecStart=", "ExecStart=/srv/venv/bin/gunicorn app:app"]).Should().Be(70);
        reader.Recognize(".env", ["GUNICORN_CMD_ARGS=\"--timeout 60\""]).Should().Be(85);
        reader.Recognize("nginx.conf", ["upstream app { server unix:/run/gunicorn.sock; }"]).Should().Be(0);
    }

    [Fact]
    public void The_batch_reader_reads_launch_files_before_logs_and_detects_each_kind()
    {
        var readers = new ArtifactReaders([new GunicornErrorLogReader(), new GunicornConfigReader(), new CommandLineReader()]);
        foreach (var name in LaunchSamples)
        {
            File.Copy(Sample(name), Path.Combine(_folder, name));
        }

        File.Copy(Path.Combine(AppContext.BaseDirectory, "Samples", "gunicorn", "error-23.log"), Path.Combine(_folder, "error.log"));

        var result = readers.Read([new ArtifactRequest(_folder)]);

        result.Inputs.Select(i => (Path.GetFileName(i.Path), i.Kind)).Should().BeEquivalentTo(
            LaunchSamples.Select(n => (n, ArtifactKind.CommandLine)).Append(("error.log", ArtifactKind.GunicornErrorLog)));
        result.Observations.OfType<LaunchCommand>().Should().HaveCount(6);
    }

    [Theory]
    [InlineData("run.sh", "=")]
    [InlineData("run.sh", "\"")]
    [InlineData("run.sh", "$(")]
    [InlineData("run.sh", "\\\n")]
    [InlineData("gunicorn.service", "=")]
    [InlineData("gunicorn.service", "\\\n")]
    [InlineData("Dockerfile", "=")]
    [InlineData("Dockerfile", "\\\n")]
    [InlineData("Procfile", "web: gunicorn -b =")]
    [InlineData(".env", "GUNICORN_CMD_ARGS=-w")]
    public void Pathological_long_lines_are_read_in_linear_time(string name, string unit)
    {
        var line = string.Concat(Enumerable.Repeat(unit, 200_000 / unit.Length));
        var text = $"[Service]\nExecStart=gunicorn {line}\nENV A={line}\nweb: {line}\n{line}\ngunicorn -w 2 app:app\n";
        var stopwatch = Stopwatch.StartNew();

        ReadText(name, text);

        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void An_environment_dump_with_platform_variables_is_left_to_the_host_tools_reader()
    {
        var reader = new CommandLineReader();

        reader.Recognize("env-cloudrun.txt", ["K_SERVICE=dashboard", "PORT=8080", "GUNICORN_CMD_ARGS=--workers 2"]).Should().Be(30);
        reader.Recognize("env.txt", ["PORT=8080", "GUNICORN_CMD_ARGS=--workers 2"]).Should().Be(60);
    }

    [Fact]
    public void CommandLineReader_survives_mutated_input()
    {
        var samples = LaunchSamples.Select(n => (n, File.ReadAllBytes(Sample(n)))).ToList();
        samples.Add(("run.sh", System.Text.Encoding.UTF8.GetBytes("sh -c \"sh -c 'sh -c \\\"sh -c gunicorn\\\"'\"\ngunicorn -w $( $( $(\n")));
        var reader = new CommandLineReader();
        var stopwatch = Stopwatch.StartNew();
        var read = 0;

        foreach (var (name, content) in InputMutations.Generate(samples, 300, seed: 424242))
        {
            // cmdline is read from disk (NUL-separated /proc files need the file itself), so every mutation goes through a file.
            var path = Path.Combine(_folder, name);
            File.WriteAllBytes(path, content);
            var source = LineSource.FromFile(path);
            reader.Recognize(name, source.Head());
            var context = new ReadContext(name);
            reader.Read(source, context);
            context.Observations.All(o => o.Source.Line >= 1 && o.Source.Source == name).Should().BeTrue();
            read++;
        }

        stopwatch.Stop();
        read.Should().Be(300);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }

    private static ReadContext ReadConfig(string name)
    {
        var context = new ReadContext(name);
        new GunicornConfigReader().Read(LineSource.FromFile(Sample(name)), context);
        return context;
    }
}
