namespace Gunicorn.Insights.Readers.Launch;

/// <summary>The forms a launch artifact comes in.</summary>
internal enum LaunchFormat
{
    /// <summary><c>/proc/PID/cmdline</c> (NUL-separated) or a saved command line.</summary>
    Cmdline,

    /// <summary>A systemd <c>.service</c> or <c>.socket</c> unit (or a drop-in).</summary>
    Systemd,

    /// <summary>A Procfile.</summary>
    Procfile,

    /// <summary>A Dockerfile.</summary>
    Dockerfile,

    /// <summary>Shell-like text: an env file, an entrypoint script, commands one per line.</summary>
    Shell,
}
