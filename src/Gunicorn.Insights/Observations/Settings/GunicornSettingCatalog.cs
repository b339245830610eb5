using System.Diagnostics.CodeAnalysis;

namespace Gunicorn.Insights.Observations.Settings;

/// <summary>
/// Every setting Gunicorn defines (19.9.0 to 26.1.0, with 23.0.0 as the baseline for types and defaults) and the
/// mapping from every way of writing one — setting name, dashed name, command-line flag, environment variable — to it.
/// </summary>
public static class GunicornSettingCatalog
{
    private const string ConfigFile = "Config File";
    private const string ServerSocket = "Server Socket";
    private const string WorkerProcesses = "Worker Processes";
    private const string Security = "Security";
    private const string Debugging = "Debugging";
    private const string ServerMechanics = "Server Mechanics";
    private const string Logging = "Logging";
    private const string ProcessNaming = "Process Naming";
    private const string ServerHooks = "Server Hooks";
    private const string Ssl = "SSL";
    private const string Http2 = "HTTP/2";
    private const string DirtyArbiters = "Dirty Arbiters";
    private const string DirtyArbiterHooks = "Dirty Arbiter Hooks";
    private const string Control = "Control";

    private static readonly IReadOnlyList<GunicornSetting> Settings = Build();
    private static readonly Dictionary<string, GunicornSetting> ByName = Settings.ToDictionary(s => s.Name, StringComparer.Ordinal);
    private static readonly Dictionary<string, GunicornSetting> BySpelling = BuildSpellings();

    // argparse also knows these two; an abbreviation that could mean one of them is ambiguous, not a setting.
    private static readonly string[] LongFlags =
        [.. Settings.SelectMany(s => s.CommandLineFlags).Where(f => f.StartsWith("--", StringComparison.Ordinal)), "--help", "--version"];

    /// <summary>Every setting, in the order of Gunicorn's documentation sections.</summary>
    public static IReadOnlyList<GunicornSetting> All => Settings;

    /// <summary><c>timeout</c> (<c>-t</c>): seconds a silent worker may live before the master kills it; 0 disables the check.</summary>
    public static GunicornSetting Timeout => ByName["timeout"];

    /// <summary><c>workers</c> (<c>-w</c>, <c>WEB_CONCURRENCY</c>): the number of worker processes.</summary>
    public static GunicornSetting Workers => ByName["workers"];

    /// <summary><c>worker_class</c> (<c>-k</c>): the worker type.</summary>
    public static GunicornSetting WorkerClass => ByName["worker_class"];

    /// <summary><c>threads</c>: threads per worker; more than one turns <c>sync</c> into <c>gthread</c>.</summary>
    public static GunicornSetting Threads => ByName["threads"];

    /// <summary><c>backlog</c>: the listen queue length.</summary>
    public static GunicornSetting Backlog => ByName["backlog"];

    /// <summary><c>bind</c> (<c>-b</c>): the addresses to listen on.</summary>
    public static GunicornSetting Bind => ByName["bind"];

    /// <summary><c>worker_tmp_dir</c>: where the worker heartbeat files live.</summary>
    public static GunicornSetting WorkerTmpDir => ByName["worker_tmp_dir"];

    /// <summary><c>preload_app</c> (<c>--preload</c>): load the application in the master before forking.</summary>
    public static GunicornSetting PreloadApp => ByName["preload_app"];

    /// <summary><c>graceful_timeout</c>: seconds workers get to finish after a restart signal.</summary>
    public static GunicornSetting GracefulTimeout => ByName["graceful_timeout"];

    /// <summary><c>keepalive</c> (<c>--keep-alive</c>): seconds to wait for the next request on a kept-alive connection.</summary>
    public static GunicornSetting Keepalive => ByName["keepalive"];

    /// <summary><c>max_requests</c>: requests a worker serves before it is restarted; 0 disables restarts.</summary>
    public static GunicornSetting MaxRequests => ByName["max_requests"];

    /// <summary><c>max_requests_jitter</c>: the random spread added to <c>max_requests</c>.</summary>
    public static GunicornSetting MaxRequestsJitter => ByName["max_requests_jitter"];

    /// <summary><c>worker_connections</c>: simultaneous clients per gthread/eventlet/gevent worker.</summary>
    public static GunicornSetting WorkerConnections => ByName["worker_connections"];

    /// <summary><c>accesslog</c> (<c>--access-logfile</c>): the access log file; none by default.</summary>
    public static GunicornSetting AccessLog => ByName["accesslog"];

    /// <summary><c>access_log_format</c> (<c>--access-logformat</c>): the access log line format.</summary>
    public static GunicornSetting AccessLogFormat => ByName["access_log_format"];

    /// <summary><c>errorlog</c> (<c>--error-logfile</c>, <c>--log-file</c>): the error log file; stderr by default.</summary>
    public static GunicornSetting ErrorLog => ByName["errorlog"];

    /// <summary><c>loglevel</c> (<c>--log-level</c>): the error log level.</summary>
    public static GunicornSetting LogLevel => ByName["loglevel"];

    /// <summary><c>statsd_host</c> (<c>--statsd-host</c>): the StatsD server; metrics are off when unset.</summary>
    public static GunicornSetting StatsdHost => ByName["statsd_host"];

    /// <summary><c>statsd_prefix</c> (<c>--statsd-prefix</c>): the prefix of emitted StatsD metric names.</summary>
    public static GunicornSetting StatsdPrefix => ByName["statsd_prefix"];

    /// <summary>
    /// Finds the setting <paramref name="spelling"/> names: a setting name (<c>workers</c>), a dashed name
    /// (<c>worker-class</c>), a command-line flag (<c>-w</c>, <c>--preload</c>, <c>--log-file</c>), an unambiguous
    /// abbreviation of a long flag (argparse accepts <c>--graceful</c>), or an environment variable whose value is the
    /// setting's value (<c>WEB_CONCURRENCY</c>, <c>FORWARDED_ALLOW_IPS</c>). A trailing <c>=value</c> is ignored.
    /// Names and flags are case-sensitive, as in Gunicorn. <c>PORT</c> and <c>SENDFILE</c> are not resolved: their values
    /// are not the values of <c>bind</c> and <c>sendfile</c>.
    /// </summary>
    public static bool TryResolve(string spelling, [MaybeNullWhen(false)] out GunicornSetting setting)
    {
        setting = null;
        if (string.IsNullOrWhiteSpace(spelling))
        {
            return false;
        }

        var key = spelling.Trim();
        var equals = key.IndexOf('=', StringComparison.Ordinal);
        if (equals == 0)
        {
            return false;
        }

        if (equals > 0)
        {
            key = key[..equals];
        }

        if (BySpelling.TryGetValue(key, out var found))
        {
            setting = found;
            return true;
        }

        if (key.Length <= 2 || !key.StartsWith("--", StringComparison.Ordinal))
        {
            return false;
        }

        // argparse accepts any unambiguous prefix of a long option.
        var matches = LongFlags.Where(f => f.StartsWith(key, StringComparison.Ordinal)).Take(2).ToList();
        if (matches.Count != 1 || !BySpelling.TryGetValue(matches[0], out found))
        {
            return false;
        }

        setting = found;
        return true;
    }

    /// <summary>The setting <paramref name="name"/> names, in any spelling <see cref="TryResolve"/> accepts.</summary>
    /// <exception cref="KeyNotFoundException">No Gunicorn setting has that name.</exception>
    public static GunicornSetting Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryResolve(name, out var setting)
            ? setting
            : throw new KeyNotFoundException($"'{name}' is not a Gunicorn setting, flag or environment variable.");
    }

    private static Dictionary<string, GunicornSetting> BuildSpellings()
    {
        var spellings = new Dictionary<string, GunicornSetting>(StringComparer.Ordinal);
        foreach (var setting in Settings)
        {
            spellings[setting.Name] = setting;
            spellings.TryAdd(setting.DashedName, setting);
            foreach (var flag in setting.CommandLineFlags)
            {
                spellings.Add(flag, setting);
            }
        }

        spellings.Add("WEB_CONCURRENCY", ByName["workers"]);
        spellings.Add("FORWARDED_ALLOW_IPS", ByName["forwarded_allow_ips"]);
        return spellings;
    }

    private static GunicornSetting Int(string name, string section, long value, params string[] flags) => new()
    {
        Name = name,
        Section = section,
        CommandLineFlags = flags,
        ValueKind = SettingValueKind.Integer,
        Validator = "validate_pos_int",
        Default = SettingValue.Integer(value),
        DefaultDescription = value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static GunicornSetting Seconds(string name, string section, long value, params string[] flags) =>
        Int(name, section, value, flags) with { ValueKind = SettingValueKind.Duration, Default = SettingValue.Seconds(value) };

    private static GunicornSetting Flag(string name, string section, bool value, params string[] flags) => new()
    {
        Name = name,
        Section = section,
        CommandLineFlags = flags,
        ValueKind = SettingValueKind.Boolean,
        Validator = "validate_bool",
        Default = SettingValue.Boolean(value),
        DefaultDescription = value ? "True" : "False",
        FlagValue = flags.Length > 0 ? SettingValue.Boolean(true) : null,
    };

    private static GunicornSetting Text(string name, string section, string? value, params string[] flags) => new()
    {
        Name = name,
        Section = section,
        CommandLineFlags = flags,
        ValueKind = SettingValueKind.Text,
        Validator = "validate_string",
        Default = value is null ? null : SettingValue.FromText(value),
        DefaultDescription = value is null ? "None" : $"'{value}'",
    };

    private static GunicornSetting List(string name, string section, string[] value, params string[] flags) => new()
    {
        Name = name,
        Section = section,
        CommandLineFlags = flags,
        ValueKind = SettingValueKind.List,
        Validator = "validate_list_string",
        Default = SettingValue.List(value),
        DefaultDescription = SettingValue.List(value).Text,
        Accumulates = true,
    };

    private static GunicornSetting CommaList(string name, string section, string value, params string[] flags) => new()
    {
        Name = name,
        Section = section,
        CommandLineFlags = flags,
        ValueKind = SettingValueKind.List,
        Validator = "validate_string_to_list",
        Default = SettingValue.List(value.Split(',')),
        DefaultDescription = $"'{value}'",
    };

    private static GunicornSetting Hook(string name, string section, int arity, string defaultDescription = "a function that does nothing") => new()
    {
        Name = name,
        Section = section,
        ValueKind = SettingValueKind.Text,
        Validator = $"validate_callable({arity})",
        DefaultDescription = defaultDescription,
    };

    private static List<GunicornSetting> Build() =>
    [
        Text("config", ConfigFile, "./gunicorn.conf.py", "-c", "--config") with
        {
            IsCommandLineOnly = true,
            DefaultDescription = "'./gunicorn.conf.py', read when it exists (19.x: None)",
        },
        Text("wsgi_app", ConfigFile, null) with { IntroducedIn = "20.1.0" },

        List("bind", ServerSocket, ["127.0.0.1:8000"], "-b", "--bind") with
        {
            EnvironmentVariable = "PORT",
            DefaultDescription = "['127.0.0.1:8000'], or ['0.0.0.0:$PORT'] when the PORT environment variable is set",
        },
        Int("backlog", ServerSocket, 2048, "--backlog"),

        Int("workers", WorkerProcesses, 1, "-w", "--workers") with
        {
            EnvironmentVariable = "WEB_CONCURRENCY",
            DefaultDescription = "1, or the WEB_CONCURRENCY environment variable when set",
        },
        Text("worker_class", WorkerProcesses, "sync", "-k", "--worker-class") with { Validator = "validate_class" },
        Int("threads", WorkerProcesses, 1, "--threads"),
        Int("worker_connections", WorkerProcesses, 1000, "--worker-connections"),
        Int("max_requests", WorkerProcesses, 0, "--max-requests"),
        Int("max_requests_jitter", WorkerProcesses, 0, "--max-requests-jitter"),
        Seconds("timeout", WorkerProcesses, 30, "-t", "--timeout"),
        Seconds("graceful_timeout", WorkerProcesses, 30, "--graceful-timeout"),
        Seconds("keepalive", WorkerProcesses, 2, "--keep-alive"),

        Int("limit_request_line", Security, 4094, "--limit-request-line"),
        Int("limit_request_fields", Security, 100, "--limit-request-fields"),
        Int("limit_request_field_size", Security, 8190, "--limit-request-field_size"),

        Flag("reload", Debugging, false, "--reload"),
        Text("reload_engine", Debugging, "auto", "--reload-engine") with
        {
            Validator = "validate_reload_engine",
            AllowedValues = ["auto", "poll", "inotify"],
        },
        List("reload_extra_files", Debugging, [], "--reload-extra-file") with { Validator = "validate_list_of_existing_files" },
        Flag("spew", Debugging, false, "--spew"),
        Flag("check_config", Debugging, false, "--check-config"),
        Flag("print_config", Debugging, false, "--print-config") with { IntroducedIn = "20.1.0" },

        Flag("preload_app", ServerMechanics, false, "--preload"),
        Flag("sendfile", ServerMechanics, false, "--no-sendfile") with
        {
            Default = null,
            FlagValue = SettingValue.Boolean(false),
            EnvironmentVariable = "SENDFILE",
            DefaultDescription = "None: sendfile() is used unless the SENDFILE environment variable is set to something other than y, 1, yes or true",
        },
        Flag("reuse_port", ServerMechanics, false, "--reuse-port"),
        Text("chdir", ServerMechanics, null, "--chdir") with
        {
            Validator = "validate_chdir",
            DefaultDescription = "the working directory Gunicorn starts in",
        },
        Flag("daemon", ServerMechanics, false, "-D", "--daemon"),
        List("raw_env", ServerMechanics, [], "-e", "--env"),
        Text("pidfile", ServerMechanics, null, "-p", "--pid") with { DefaultDescription = "None: no PID file is written" },
        Text("worker_tmp_dir", ServerMechanics, null, "--worker-tmp-dir") with
        {
            DefaultDescription = "None: Python's tempfile.gettempdir(), usually /tmp",
        },
        Text("user", ServerMechanics, null, "-u", "--user") with
        {
            Validator = "validate_user",
            DefaultDescription = "os.geteuid(): the user that starts Gunicorn",
        },
        Text("group", ServerMechanics, null, "-g", "--group") with
        {
            Validator = "validate_group",
            DefaultDescription = "os.getegid(): the group that starts Gunicorn",
        },
        Int("umask", ServerMechanics, 0, "-m", "--umask") with { ReadsLeadingZeroAsOctal = true },
        Flag("initgroups", ServerMechanics, false, "--initgroups"),
        Text("tmp_upload_dir", ServerMechanics, null) with { DefaultDescription = "None: a directory the system chooses" },
        Text("secure_scheme_headers", ServerMechanics,
            "{'X-FORWARDED-PROTOCOL': 'ssl', 'X-FORWARDED-PROTO': 'https', 'X-FORWARDED-SSL': 'on'}") with
        {
            Validator = "validate_dict",
            DefaultDescription = "{'X-FORWARDED-PROTOCOL': 'ssl', 'X-FORWARDED-PROTO': 'https', 'X-FORWARDED-SSL': 'on'}",
        },
        CommaList("forwarded_allow_ips", ServerMechanics, "127.0.0.1,::1", "--forwarded-allow-ips") with
        {
            Validator = "validate_string_to_addr_list",
            EnvironmentVariable = "FORWARDED_ALLOW_IPS",
            DefaultDescription = "'127.0.0.1,::1' ('127.0.0.1' up to 22.0), or the FORWARDED_ALLOW_IPS environment variable when set",
        },
        Text("pythonpath", ServerMechanics, null, "--pythonpath"),
        Text("paste", ServerMechanics, null, "--paste", "--paster"),
        Flag("proxy_protocol", ServerMechanics, false, "--proxy-protocol") with
        {
            DefaultDescription = "False (26.1.0 turns it into a mode string, default 'off')",
        },
        CommaList("proxy_allow_ips", ServerMechanics, "127.0.0.1,::1", "--proxy-allow-from") with
        {
            Validator = "validate_string_to_addr_list",
            DefaultDescription = "'127.0.0.1,::1' ('127.0.0.1' up to 22.0)",
        },
        CommaList("uwsgi_allow_ips", ServerMechanics, "127.0.0.1,::1", "--uwsgi-allow-from") with
        {
            Validator = "validate_string_to_addr_list",
            IntroducedIn = "26.1.0",
        },
        Text("protocol", ServerMechanics, "http", "--protocol") with { IntroducedIn = "26.1.0" },
        Text("root_path", ServerMechanics, string.Empty, "--root-path") with { IntroducedIn = "26.1.0" },
        List("raw_paste_global_conf", ServerMechanics, [], "--paste-global"),
        Flag("permit_obsolete_folding", ServerMechanics, false, "--permit-obsolete-folding") with { IntroducedIn = "23.0.0" },
        Flag("strip_header_spaces", ServerMechanics, false, "--strip-header-spaces") with { IntroducedIn = "20.1.0" },
        Flag("permit_unconventional_http_method", ServerMechanics, false, "--permit-unconventional-http-method") with
        {
            IntroducedIn = "22.0.0",
        },
        Flag("permit_unconventional_http_version", ServerMechanics, false, "--permit-unconventional-http-version") with
        {
            IntroducedIn = "22.0.0",
        },
        Flag("casefold_http_method", ServerMechanics, false, "--casefold-http-method") with { IntroducedIn = "22.0.0" },
        CommaList("forwarder_headers", ServerMechanics, "SCRIPT_NAME,PATH_INFO", "--forwarder-headers") with { IntroducedIn = "23.0.0" },
        Text("header_map", ServerMechanics, "drop", "--header-map") with
        {
            Validator = "validate_header_map_behaviour",
            AllowedValues = ["drop", "refuse", "dangerous"],
            IntroducedIn = "22.0.0",
        },
        Flag("tolerate_dangerous_framing", ServerMechanics, false, "--tolerate-dangerous-framing") with
        {
            IntroducedIn = "22.0.0",
            RemovedIn = "23.0.0",
        },

        Text("accesslog", Logging, null, "--access-logfile") with { DefaultDescription = "None: no access log" },
        Flag("disable_redirect_access_to_syslog", Logging, false, "--disable-redirect-access-to-syslog"),
        Text("access_log_format", Logging, "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"", "--access-logformat"),
        Text("errorlog", Logging, "-", "--error-logfile", "--log-file") with { DefaultDescription = "'-': standard error" },
        Text("loglevel", Logging, "info", "--log-level"),
        Flag("capture_output", Logging, false, "--capture-output"),
        Text("logger_class", Logging, "gunicorn.glogging.Logger", "--logger-class") with { Validator = "validate_class" },
        Text("logconfig", Logging, null, "--log-config"),
        Text("logconfig_dict", Logging, "{}") with { Validator = "validate_dict", DefaultDescription = "{}" },
        Text("logconfig_json", Logging, null, "--log-config-json") with { IntroducedIn = "20.1.0" },
        Text("syslog_addr", Logging, null, "--log-syslog-to") with
        {
            DefaultDescription = "udp://localhost:514 on Linux; unix:///var/run/syslog on macOS; unix:///var/run/log on FreeBSD and DragonFly; unix:///dev/log on OpenBSD",
        },
        Flag("syslog", Logging, false, "--log-syslog"),
        Text("syslog_prefix", Logging, null, "--log-syslog-prefix") with { DefaultDescription = "None: the process name" },
        Text("syslog_facility", Logging, "user", "--log-syslog-facility"),
        Flag("enable_stdio_inheritance", Logging, false, "-R", "--enable-stdio-inheritance"),
        Text("statsd_host", Logging, null, "--statsd-host") with
        {
            Validator = "validate_statsd_address",
            DefaultDescription = "None: no StatsD metrics",
        },
        Text("dogstatsd_tags", Logging, string.Empty, "--dogstatsd-tags") with { IntroducedIn = "20.1.0" },
        Text("statsd_prefix", Logging, string.Empty, "--statsd-prefix"),
        Flag("enable_backlog_metric", Logging, false, "--enable-backlog-metric") with { IntroducedIn = "26.1.0" },

        Text("proc_name", ProcessNaming, null, "-n", "--name") with { DefaultDescription = "None: default_proc_name is used" },
        Text("default_proc_name", ProcessNaming, "gunicorn"),

        Hook("on_starting", ServerHooks, 1),
        Hook("on_reload", ServerHooks, 1),
        Hook("when_ready", ServerHooks, 1),
        Hook("pre_fork", ServerHooks, 2),
        Hook("post_fork", ServerHooks, 2),
        Hook("post_worker_init", ServerHooks, 1),
        Hook("worker_int", ServerHooks, 1),
        Hook("worker_abort", ServerHooks, 1),
        Hook("pre_exec", ServerHooks, 1),
        Hook("pre_request", ServerHooks, 2, "a function that logs the request method and path at debug level"),
        Hook("post_request", ServerHooks, 4) with { Validator = "validate_post_request" },
        Hook("child_exit", ServerHooks, 2),
        Hook("worker_exit", ServerHooks, 2),
        Hook("nworkers_changed", ServerHooks, 3),
        Hook("on_exit", ServerHooks, 1),
        Hook("ssl_context", ServerHooks, 2, "a function that returns the default SSL context") with { IntroducedIn = "21.2.0" },

        Text("keyfile", Ssl, null, "--keyfile"),
        Text("certfile", Ssl, null, "--certfile"),
        Text("ssl_version", Ssl, null, "--ssl-version") with
        {
            Validator = "validate_ssl_version",
            DefaultDescription = "ssl.PROTOCOL_SSLv23 (ignored since 21.0; use ssl_context)",
        },
        Int("cert_reqs", Ssl, 0, "--cert-reqs") with { DefaultDescription = "ssl.CERT_NONE (0)" },
        Text("ca_certs", Ssl, null, "--ca-certs"),
        Flag("suppress_ragged_eofs", Ssl, true, "--suppress-ragged-eofs"),
        Flag("do_handshake_on_connect", Ssl, false, "--do-handshake-on-connect"),
        Text("ciphers", Ssl, null, "--ciphers") with { DefaultDescription = "None: the Python ssl module's default cipher list" },

        Text("http_protocols", Http2, "h1", "--http-protocols") with { Validator = "validate_http_protocols", IntroducedIn = "26.1.0" },
        Int("http2_max_concurrent_streams", Http2, 100, "--http2-max-concurrent-streams") with { IntroducedIn = "26.1.0" },
        Int("http2_initial_window_size", Http2, 65535, "--http2-initial-window-size") with { IntroducedIn = "26.1.0" },
        Int("http2_max_frame_size", Http2, 16384, "--http2-max-frame-size") with
        {
            Validator = "validate_http2_frame_size",
            Minimum = 16384,
            Maximum = 16777215,
            IntroducedIn = "26.1.0",
        },
        Int("http2_max_header_list_size", Http2, 65536, "--http2-max-header-list-size") with { IntroducedIn = "26.1.0" },

        Text("asgi_loop", WorkerProcesses, "auto", "--asgi-loop") with { Validator = "validate_asgi_loop", IntroducedIn = "26.1.0" },
        Text("asgi_lifespan", WorkerProcesses, "auto", "--asgi-lifespan") with { Validator = "validate_asgi_lifespan", IntroducedIn = "26.1.0" },
        Seconds("asgi_disconnect_grace_period", WorkerProcesses, 3, "--asgi-disconnect-grace-period") with { IntroducedIn = "26.1.0" },
        Text("http_parser", WorkerProcesses, "auto", "--http-parser") with { Validator = "validate_http_parser", IntroducedIn = "26.1.0" },

        List("dirty_apps", DirtyArbiters, [], "--dirty-app") with { IntroducedIn = "26.1.0" },
        Int("dirty_workers", DirtyArbiters, 0, "--dirty-workers") with { IntroducedIn = "26.1.0" },
        Seconds("dirty_timeout", DirtyArbiters, 300, "--dirty-timeout") with { IntroducedIn = "26.1.0" },
        Int("dirty_threads", DirtyArbiters, 1, "--dirty-threads") with { IntroducedIn = "26.1.0" },
        Seconds("dirty_graceful_timeout", DirtyArbiters, 30, "--dirty-graceful-timeout") with { IntroducedIn = "26.1.0" },
        Hook("on_dirty_starting", DirtyArbiterHooks, 1) with { IntroducedIn = "26.1.0" },
        Hook("dirty_post_fork", DirtyArbiterHooks, 2) with { IntroducedIn = "26.1.0" },
        Hook("dirty_worker_init", DirtyArbiterHooks, 1) with { IntroducedIn = "26.1.0" },
        Hook("dirty_worker_exit", DirtyArbiterHooks, 2) with { IntroducedIn = "26.1.0" },

        Text("control_socket", Control, null, "--control-socket") with
        {
            DefaultDescription = "a path Gunicorn computes at startup",
            IntroducedIn = "26.1.0",
        },
        Int("control_socket_mode", Control, 0x180, "--control-socket-mode") with
        {
            ReadsLeadingZeroAsOctal = true,
            DefaultDescription = "0o600",
            IntroducedIn = "26.1.0",
        },
        Flag("control_socket_disable", Control, false, "--no-control-socket") with { IntroducedIn = "26.1.0" },
    ];
}
