using System.Diagnostics;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.GunicornConfig;
using Gunicorn.Insights.Readers.GunicornLogs;
using Gunicorn.Insights.Readers.Input;
using Gunicorn.Insights.Readers.Launch;

namespace Gunicorn.Insights.Readers.Tests.GunicornConfig;

public sealed class GunicornConfigReaderTests
{
    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", "config", name);

    private static ReadContext Read(string name)
    {
        var context = new ReadContext(name);
        new GunicornConfigReader().Read(LineSource.FromFile(Sample(name)), context);
        return context;
    }

    private static ReadContext ReadText(string text, string name = "gunicorn.conf.py")
    {
        var context = new ReadContext(name);
        new GunicornConfigReader().Read(LineSource.FromText(name, text), context);
        return context;
    }

    private static ConfigParameter[] Parameters(ReadContext context) => context.Observations.OfType<ConfigParameter>().ToArray();

    private static string Show(ConfigParameter p) => $"{p.Source.Line} {p.Name}={p.Value.Text} [{p.Value.Kind}]" + (p.WrittenAs == p.Name ? "" : $" as {p.WrittenAs}");

    [Fact]
    public void A_realistic_config_file_gives_every_setting_typed_with_its_line()
    {
        var context = Read("gunicorn.conf.py");

        var parameters = Parameters(context);
        parameters.Should().OnlyContain(p => p.Scope == ConfigurationScope.Gunicorn && p.Origin == SettingOrigin.ConfigurationFile
            && p.Source.Source == "gunicorn.conf.py" && p.Instance == null && p.Timestamp == null);
        parameters.Select(Show).Should().Equal(
            "7 bind=['unix:/run/gunicorn.sock'] [List]",
            "8 backlog=2048 [Integer]",
            "10 workers=multiprocessing.cpu_count() * 2 + 1 [CpuFormula]",
            "11 worker_class=gthread [Text]",
            "12 threads=4 [Integer]",
            "13 worker_connections=1024 [Integer]",
            "14 timeout=120 [Duration]",
            "15 graceful_timeout=30 [Duration]",
            "16 keepalive=5 [Duration]",
            "17 max_requests=1000 [Integer]",
            "18 max_requests_jitter=50 [Integer]",
            "19 worker_tmp_dir=/dev/shm [Text]",
            "20 preload_app=True [Boolean]",
            "22 accesslog=- [Text]",
            "23 errorlog=- [Text]",
            "24 loglevel=info [Text] as loglevel (the default for when the environment variable LOG_LEVEL is unset)",
            "25 access_log_format=%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\" rt=%(L)s [Text]",
            "29 statsd_host=localhost:8125 [Text]",
            "30 statsd_prefix=orders [Text]",
            "32 forwarded_allow_ips=['10.0.0.0/8', '127.0.0.1'] [List]",
            "33 secure_scheme_headers={ \"X-FORWARDED-PROTO\": \"https\", } [Text]",
            "36 raw_env=['DJANGO_SETTINGS_MODULE=orders.settings', 'SECRET_KEY=***'] [List]",
            "49 when_ready=defined [Text] as def when_ready",
            "53 post_fork=defined [Text] as def post_fork",
            "58 worker_abort=defined [Text] as def worker_abort");
        parameters.Single(p => p.Name == "timeout").Value.TryGetDuration(out var timeout).Should().BeTrue();
        timeout.Should().Be(TimeSpan.FromMinutes(2));
        parameters.Single(p => p.Name == "workers").Value.TryEvaluate(4, out var workers).Should().BeTrue();
        workers.Should().Be(9);
        parameters.Single(p => p.Name == "workers").Source.ToString().Should().Be("gunicorn.conf.py:10");
    }

    [Fact]
    public void Unknown_names_rejected_values_conditional_and_unreadable_assignments_are_reported_with_their_lines()
    {
        var problems = Read("gunicorn.conf.py").Problems.Select(p => p.ToString()).ToArray();

        problems.Should().Equal(
            "gunicorn.conf.py:39: warning: unknown Gunicorn setting 'preload'; Gunicorn ignores it (the flag --preload is the setting 'preload_app' in a configuration file)",
            "gunicorn.conf.py:40: warning: Invalid value '-5' for Gunicorn setting 'max_requests_jitter': the value must not be negative; ignored",
            "gunicorn.conf.py:41: warning: 'limit_request_line = work_limit()' cannot be read without executing the file (a call to work_limit()); ignored",
            "gunicorn.conf.py:42: warning: 'TIMEOUT' is not a Gunicorn setting: setting names are lower case ('timeout'), so Gunicorn ignores it",
            "gunicorn.conf.py:45: warning: 'reload' is assigned inside the 'if' block of line 44: whether and how it is set depends on a condition "
                + "evaluated when the file runs; cannot be read without executing the file; ignored",
            "gunicorn.conf.py:46: warning: 'loglevel' is assigned inside the 'if' block of line 44: whether and how it is set depends on a condition "
                + "evaluated when the file runs; cannot be read without executing the file; ignored");
    }

    [Theory]
    [InlineData("workers = multiprocessing.cpu_count() * 2 + 1", "multiprocessing.cpu_count() * 2 + 1")]
    [InlineData("workers = (2 * os.cpu_count()) + 1", "(2 * os.cpu_count()) + 1")]
    [InlineData("workers = cpu_count()*2+1", "cpu_count()*2+1")]
    [InlineData("workers = len(os.sched_getaffinity(0)) * 2 + 1", "len(os.sched_getaffinity(0)) * 2 + 1")]
    [InlineData("workers = psutil.cpu_count(logical=True) * 2 + 1", "psutil.cpu_count(logical=True) * 2 + 1")]
    [InlineData("cores = multiprocessing.cpu_count()\nworkers = cores * 2 + 1", "multiprocessing.cpu_count() * 2 + 1")]
    public void Cpu_formulas_become_formulas_that_evaluate_for_a_cpu_count(string text, string formula)
    {
        var workers = Parameters(ReadText(text)).Single(p => p.Name == "workers");

        workers.Value.Kind.Should().Be(SettingValueKind.CpuFormula);
        workers.Value.Text.Should().Be(formula);
        workers.Value.TryEvaluate(4, out var count).Should().BeTrue();
        count.Should().Be(9);
        GunicornConfiguration.Resolve([workers]).WorkerCount(2).Should().Be(5);
    }

    [Theory]
    [InlineData("backlog = 0x800", "backlog", "2048")]
    [InlineData("backlog = 4_096", "backlog", "4096")]
    [InlineData("timeout = 5 * 60", "timeout", "300")]
    [InlineData("workers = 2 * 4 + 1", "workers", "9")]
    [InlineData("umask = 0o22", "umask", "18")]
    [InlineData("keepalive = 10 // 2", "keepalive", "5")]
    [InlineData("max_requests = int('1000')", "max_requests", "1000")]
    [InlineData("worker_class = 'gevent'", "worker_class", "gevent")]
    [InlineData("worker_class = \"uvicorn.workers.UvicornWorker\"", "worker_class", "uvicorn.workers.UvicornWorker")]
    [InlineData("from uvicorn.workers import UvicornWorker\nworker_class = UvicornWorker", "worker_class", "uvicorn.workers.UvicornWorker")]
    [InlineData("proc_name = 'orders' '-' \"api\"", "proc_name", "orders-api")]
    [InlineData("accesslog = r'C:\\logs\\access.log'", "accesslog", "C:\\logs\\access.log")]
    [InlineData("errorlog = '/var/log/g\\x75nicorn.log'", "errorlog", "/var/log/gunicorn.log")]
    [InlineData("access_log_format = '''%(h)s \"%(r)s\" %(s)s'''", "access_log_format", "%(h)s \"%(r)s\" %(s)s")]
    [InlineData("preload_app = False", "preload_app", "False")]
    [InlineData("reload = 'true'", "reload", "True")]
    [InlineData("statsd_host = None", "statsd_host", "None")]
    [InlineData("bind = '0.0.0.0:8000', '[::]:8000'", "bind", "['0.0.0.0:8000', '[::]:8000']")]
    [InlineData("bind = ('0.0.0.0:8000',)", "bind", "['0.0.0.0:8000']")]
    [InlineData("bind = [\n    'unix:/run/a.sock',  # the proxy\n    '127.0.0.1:8000',\n]", "bind", "['unix:/run/a.sock', '127.0.0.1:8000']")]
    [InlineData("raw_env = []", "raw_env", "[]")]
    [InlineData("logconfig_dict = dict(version=1)", "logconfig_dict", "dict(version=1)")]
    [InlineData("_workers = 3\nworkers = _workers", "workers", "3")]
    [InlineData("threads = 2; workers = 3", "workers", "3")]
    [InlineData("workers: int = 3", "workers", "3")]
    [InlineData("try:\n    workers = 7\nexcept ImportError:\n    pass", "workers", "7")]
    public void Literals_arithmetic_and_earlier_names_are_read_as_gunicorn_reads_them(string text, string name, string value)
    {
        var context = ReadText(text);

        var parameter = Parameters(context).Single(p => p.Name == name);
        parameter.Value.Text.Should().Be(value);
        var expectedLine = Array.FindIndex(text.Split('\n'), l => l.TrimStart().StartsWith(name + " ", StringComparison.Ordinal)
            || l.StartsWith(name + ":", StringComparison.Ordinal) || l.Contains("; " + name, StringComparison.Ordinal)) + 1;
        parameter.Source.Line.Should().Be(expectedLine);
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void An_environment_lookup_gives_its_default_and_says_it_comes_from_the_environment()
    {
        var context = ReadText("""
            import os
            workers = int(os.environ.get("WEB_CONCURRENCY", 4))
            timeout = os.getenv("GUNICORN_TIMEOUT", "90")
            port = os.environ.get("PORT", "8000")
            bind = f"0.0.0.0:{port}"
            statsd_host = os.environ.get("STATSD_HOST") or "localhost:8125"
            errorlog = os.environ["ERROR_LOG"]
            """);

        Parameters(context).Select(Show).Should().Equal(
            "2 workers=4 [Integer] as workers (the default for when the environment variable WEB_CONCURRENCY is unset)",
            "3 timeout=90 [Duration] as timeout (the default for when the environment variable GUNICORN_TIMEOUT is unset)",
            "5 bind=['0.0.0.0:8000'] [List] as bind (the default for when the environment variable PORT is unset)",
            "6 statsd_host=localhost:8125 [Text] as statsd_host (the default for when the environment variable STATSD_HOST is unset)");
        Parameters(context).Should().OnlyContain(p => p.Origin == SettingOrigin.ConfigurationFile);
        context.Problems.Select(p => p.ToString()).Should().Equal(
            "gunicorn.conf.py:4: warning: unknown Gunicorn setting 'port'; Gunicorn ignores module-level names that are not settings",
            "gunicorn.conf.py:7: warning: 'errorlog = os.environ[\"ERROR_LOG\"]' cannot be read without executing the file (it comes from the "
                + "environment variable ERROR_LOG, which must be set and whose value is not known here); ignored");
    }

    [Theory]
    [InlineData("timeout = 'abc'", "Invalid value 'abc' for Gunicorn setting 'timeout': expected a non-negative whole number of seconds; ignored")]
    [InlineData("timeout = 30.5", "Invalid value '30.5' for Gunicorn setting 'timeout': expected a whole number; ignored")]
    [InlineData("workers = -1", "Invalid value '-1' for Gunicorn setting 'workers': the value must not be negative; ignored")]
    [InlineData("preload_app = 'yes'", "Invalid value 'yes' for Gunicorn setting 'preload_app': expected True or False (Gunicorn accepts only true/false, in any letter case); ignored")]
    [InlineData("reload_engine = 'fast'", "Invalid value 'fast' for Gunicorn setting 'reload_engine': expected one of auto, poll, inotify; ignored")]
    [InlineData("bind = ['0.0.0.0:80', 8000]", "Invalid value '['0.0.0.0:80', 8000]' for Gunicorn setting 'bind': every item must be a string (Gunicorn: 'Not a string'); ignored")]
    [InlineData("bind = 8000", "Invalid value '8000' for Gunicorn setting 'bind': expected a string or a list of strings, not a number; ignored")]
    [InlineData("umask = 0022", "'umask = 0022': a number with a leading zero is a Python syntax error (write 0o22 for octal); Gunicorn would refuse the file; ignored")]
    [InlineData("workers = min(8, cpu_count())", "'workers = min(8, cpu_count())' cannot be read without executing the file (a call to min()); ignored")]
    [InlineData("workers = 4 if PROD else 1", "'workers = 4 if PROD else 1' cannot be read without executing the file (a conditional expression (… if … else …)); ignored")]
    [InlineData("bind = '0.0.0.0:%s' % PORT", "'bind = '0.0.0.0:%s' % PORT' cannot be read without executing the file (the '%' operator); ignored")]
    [InlineData("workers += 1", "'workers += …' changes the setting with an augmented assignment; cannot be read without executing the file; ignored")]
    [InlineData("workers, extra = 2, 4", "'workers' is set by unpacking several values at once; cannot be read without executing the file; ignored")]
    [InlineData("config = 'other.py'", "'config' has no effect in a configuration file (Gunicorn takes the configuration file's name from the command line only); ignored")]
    [InlineData("def post_fork(server):\n    pass", "the server hook 'post_fork' takes 1 argument(s) but Gunicorn calls it with 2: Gunicorn refuses to start ('Value must have an arity of: 2'); ignored")]
    [InlineData("if DEBUG: reload = True", "'reload' is assigned inside the 'if' block of line 1: whether and how it is set depends on a condition evaluated when the file runs; cannot be read without executing the file; ignored")]
    [InlineData("from settings import *", "'from settings import *' may bring settings into the file that cannot be read without executing it; only the assignments written here are read")]
    [InlineData("os.environ['WEB_CONCURRENCY'] = '9'", "setting the environment variable WEB_CONCURRENCY in the configuration file comes too late: Gunicorn read it for its defaults before loading the file; ignored")]
    [InlineData("bind = [\n  'a',\n", "the statement starting on line 1 is not closed by the end of the file (line 2): an unclosed bracket or string, which Gunicorn would refuse as a syntax error; it is ignored")]
    [InlineData("timeout = 'thirty", "a string opened on line 1 is not closed at the end of the line (a Python syntax error: Gunicorn would refuse this file); the statement is ignored")]
    public void Values_gunicorn_would_reject_and_code_that_must_run_are_warnings_and_nothing_else(string text, string message)
    {
        var context = ReadText(text);

        Parameters(context).Where(p => p.Scope == ConfigurationScope.Gunicorn).Should().BeEmpty();
        context.Problems.Should().ContainSingle().Which.Message.Should().Be(message);
        context.Problems[0].Location.Line.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Hooks_defined_assigned_or_named_by_path_are_recorded_and_function_bodies_ignored()
    {
        var context = ReadText("""
            def on_starting(server):
                workers = 99
                server.log.info("starting")

            async def worker_exit(server, worker):
                pass

            def _helper(x):
                return x

            post_fork = lambda server, worker: server.log.info("forked %s", worker.pid)
            pre_fork = "orders.hooks.pre_fork"
            when_ready = _helper
            class Settings:
                timeout = 5
            """);

        Parameters(context).Select(Show).Should().Equal(
            "1 on_starting=defined [Text] as def on_starting",
            "5 worker_exit=defined [Text] as def worker_exit",
            "11 post_fork=defined [Text]",
            "12 pre_fork=orders.hooks.pre_fork [Text]",
            "13 when_ready=defined [Text]");
        context.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Environment_variables_the_file_sets_are_platform_parameters_with_secrets_masked()
    {
        var context = ReadText("""
            import os
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = "/tmp/prometheus"
            os.environ.setdefault("NEW_RELIC_LICENSE_KEY", "0123456789abcdef0123456789abcdef01234567")
            """);

        Parameters(context).Select(p => $"{p.Source.Line} {p.Scope} {p.Name}={p.Value.Text} as {p.WrittenAs}").Should().Equal(
            "2 Platform PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus as os.environ[\"PROMETHEUS_MULTIPROC_DIR\"]",
            "3 Platform NEW_RELIC_LICENSE_KEY=*** as os.environ.setdefault(\"NEW_RELIC_LICENSE_KEY\")");
        context.Observations.Select(o => o.Describe()).Should().NotContain(d => d.Contains("0123456789abcdef", StringComparison.Ordinal));
    }

    [Fact]
    public void A_later_assignment_wins_when_the_configuration_is_resolved()
    {
        var parameters = Parameters(ReadText("timeout = 30\nworkers = 2\ntimeout = 120\n"));

        var configuration = GunicornConfiguration.Resolve(parameters);

        configuration.Timeout.Should().Be(TimeSpan.FromSeconds(120));
        configuration.Overridden.Should().ContainSingle().Which.Source.Line.Should().Be(1);
    }

    [Fact]
    public void The_reader_recognises_config_files_and_not_logs_or_launch_files()
    {
        var reader = new GunicornConfigReader();
        var config = File.ReadAllLines(Sample("gunicorn.conf.py"));

        reader.Recognize("gunicorn.conf.py", config).Should().BeGreaterThan(80);
        reader.Recognize("settings.py", config).Should().BeGreaterThan(50);
        reader.Recognize("gunicorn.conf.py", []).Should().BeGreaterThan(0);
        reader.Recognize("error.log", File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Samples", "gunicorn", "error-23.log"))).Should().Be(0);
        reader.Recognize("notes.txt", ["the incident started at midnight"]).Should().Be(0);
        foreach (var launch in new[] { "gunicorn.service", "gunicorn.socket", "Procfile", "Dockerfile", "production.env", "start.sh" })
        {
            reader.Recognize(launch, File.ReadAllLines(Sample(launch))).Should().Be(0, launch);
        }

        new GunicornErrorLogReader().Recognize("gunicorn.conf.py", config).Should().Be(0);
        new CommandLineReader().Recognize("gunicorn.conf.py", config).Should().Be(0);
    }

    [Fact]
    public void The_batch_reader_detects_a_config_file_as_gunicorn_config()
    {
        var readers = new ArtifactReaders([new GunicornErrorLogReader(), new GunicornConfigReader(), new CommandLineReader()]);

        readers.Detect(Sample("gunicorn.conf.py")).Should().Be(ArtifactKind.GunicornConfig);
    }

    [Fact]
    public void GunicornConfigReader_survives_mutated_input()
    {
        var samples = new[] { "gunicorn.conf.py", "gunicorn.service", "Dockerfile" }.Select(n => (n, File.ReadAllBytes(Sample(n)))).ToList();
        samples.Add(("edge.conf.py", System.Text.Encoding.UTF8.GetBytes(
            "workers = ((((((1))))))\nbind = f'{os.environ.get(\"X\", f\"{1}\")}'\nx = [[[[[[\n'''\n")));
        var reader = new GunicornConfigReader();
        var stopwatch = Stopwatch.StartNew();
        var read = 0;

        foreach (var (name, content) in InputMutations.Generate(samples, 300, seed: 20261123))
        {
            var source = LineSource.FromBytes(name, content);
            reader.Recognize(name, source.Head());
            var context = new ReadContext(name);
            reader.Read(source, context);
            context.Problems.Count.Should().BeLessThanOrEqualTo(ReadContext.MaximumProblemsPerInput + 1);
            read++;
        }

        stopwatch.Stop();
        read.Should().Be(300);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData("=")]
    [InlineData("(")]
    [InlineData("'")]
    [InlineData("\\")]
    [InlineData("1+")]
    [InlineData("f'{x}")]
    [InlineData("workers = ")]
    public void Pathological_long_lines_are_read_in_linear_time(string unit)
    {
        var line = string.Concat(Enumerable.Repeat(unit, 200_000 / unit.Length));
        var text = $"x = 'a' * 3\ns = '{new string('a', 1000)}'\nbind = s + s\n{line}\n{line}\ntimeout = 30\n";
        var stopwatch = Stopwatch.StartNew();

        var context = ReadText(text);

        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
        context.Problems.Should().NotBeEmpty();
    }

    [Fact]
    public void Values_built_from_earlier_values_are_capped_in_size()
    {
        var lines = new List<string> { "a0 = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'" };
        for (var i = 1; i < 40; i++)
        {
            lines.Add($"a{i} = a{i - 1} + a{i - 1}");
        }

        lines.Add("proc_name = a39");
        var stopwatch = Stopwatch.StartNew();

        var context = ReadText(string.Join('\n', lines));

        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
        Parameters(context).Should().BeEmpty();
        context.Problems.Should().Contain(p => p.Location.Line == 41);
    }

    [Fact]
    public void Deeply_nested_or_huge_expressions_are_refused_without_exhausting_the_stack()
    {
        var nested = "workers = " + new string('(', 5000) + "1" + new string(')', 5000);
        var unary = "workers = " + string.Concat(Enumerable.Repeat("- ", 5000)) + "1";
        var formula = "timeout = " + string.Join(" + ", Enumerable.Repeat("1", 2000));

        var context = ReadText(string.Join('\n', nested, unary, formula));

        Parameters(context).Should().BeEmpty();
        context.Problems.Select(p => p.Location.Line).Should().Equal(1, 2, 3);
    }
}
