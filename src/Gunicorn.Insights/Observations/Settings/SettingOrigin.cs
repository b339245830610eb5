namespace Gunicorn.Insights.Observations.Settings;

/// <summary>
/// How a setting got its value. For Gunicorn the members are declared in the order of precedence Gunicorn
/// applies: a later origin overrides an earlier one.
/// </summary>
public enum SettingOrigin
{
    /// <summary>Nobody set it; the component's documented default applies.</summary>
    Default,

    /// <summary>An environment variable Gunicorn reads as a default (<c>WEB_CONCURRENCY</c>, <c>PORT</c>).</summary>
    EnvironmentDefault,

    /// <summary>A configuration file (<c>gunicorn.conf.py</c>, <c>nginx.conf</c>, a unit file, <c>redis.conf</c>).</summary>
    ConfigurationFile,

    /// <summary>The <c>GUNICORN_CMD_ARGS</c> environment variable.</summary>
    CommandLineEnvironment,

    /// <summary>A flag on the command line (<c>ExecStart=</c>, Procfile, Dockerfile <c>CMD</c>).</summary>
    CommandLine,

    /// <summary>The effective value Gunicorn itself printed (<c>Current configuration:</c> debug dump).</summary>
    EffectiveDump,

    /// <summary>A value a host app supplied directly.</summary>
    HostSupplied,
}
