using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Launch;

/// <summary>
/// Reads how Gunicorn is launched: <c>/proc/PID/cmdline</c> files (NUL-separated) and saved command lines, systemd units
/// (<c>ExecStart=</c> with continuations, <c>Environment=</c>, <c>EnvironmentFile=</c>, a <c>.socket</c> unit's
/// <c>ListenStream=</c>), Procfiles, Dockerfiles (<c>CMD</c>/<c>ENTRYPOINT</c> in shell and exec form, <c>ENV</c>), env files
/// and entrypoint scripts. Commands are split like a POSIX shell (systemd's rules for units), nothing is expanded or run.
/// Each command that runs Gunicorn gives a <see cref="LaunchCommand"/> (wrappers such as <c>newrelic-admin run-program</c>
/// kept, secrets masked) and a <see cref="ConfigParameter"/> per flag (origin <see cref="SettingOrigin.CommandLine"/>, or
/// <see cref="SettingOrigin.CommandLineEnvironment"/> from <c>GUNICORN_CMD_ARGS</c>); <c>WEB_CONCURRENCY</c> and
/// <c>FORWARDED_ALLOW_IPS</c> give the settings they default (<see cref="SettingOrigin.EnvironmentDefault"/>); other
/// upper-case environment variables (<c>PORT</c>, <c>NEW_RELIC_CONFIG_FILE</c>, <c>PROMETHEUS_MULTIPROC_DIR</c>, …) give
/// <see cref="ConfigurationScope.Platform"/> parameters with secret values masked.
/// </summary>
/// <remarks>
/// <see cref="LineSource"/> refuses input with NUL bytes in its first 8 KB as binary, and a <c>/proc/PID/cmdline</c> file is
/// nothing but NUL-separated arguments. So for an input named <c>cmdline</c> (or <c>*.cmdline</c>) that is a file, the reader
/// opens the file itself, reads at most <see cref="MaximumCmdlineBytes"/>, and when it holds a NUL byte takes each
/// NUL-terminated part as one argument (no shell splitting, as the kernel passed them), all on line 1. Without NUL bytes
/// (a command copied into a file) the input is read line by line like any other. A NUL-separated command that is not a file
/// on disk (an in-memory source) cannot be read this way; <see cref="LineSource"/> reports it as binary.
/// </remarks>
public sealed class CommandLineReader : IArtifactReader
{
    /// <summary>The most bytes of a <c>/proc/PID/cmdline</c> file read.</summary>
    public const int MaximumCmdlineBytes = 1024 * 1024;

    private static readonly string[] ExcludedExtensions =
        [".md", ".rst", ".html", ".htm", ".py", ".yml", ".yaml", ".json", ".log", ".conf", ".ini", ".toml", ".cfg", ".xml", ".gz", ".csv", ".prom"];

    private static readonly string[] PlatformVariables =
        ["K_SERVICE=", "DYNO=", "GAE_ENV=", "GAE_SERVICE=", "GAE_APPLICATION=", "WEBSITE_SITE_NAME=", "KUBERNETES_SERVICE_HOST="];

    private static readonly string[] SystemdSections = ["[Unit]", "[Service]", "[Socket]", "[Install]"];

    private static readonly string[] DockerInstructions =
        ["FROM", "RUN", "CMD", "ENTRYPOINT", "ENV", "COPY", "ADD", "WORKDIR", "EXPOSE", "ARG", "USER", "LABEL"];

    /// <inheritdoc />
    public ArtifactKind Kind => ArtifactKind.CommandLine;

    /// <inheritdoc />
    public int Recognize(string fileName, IReadOnlyList<string> head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var name = Path.GetFileName(fileName ?? string.Empty);
        var lines = head.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var runs = lines.Any(l => LaunchInterpreter.RunsGunicorn(l));
        switch (ByName(name))
        {
            case LaunchFormat.Cmdline:
                return 90;
            case LaunchFormat.Systemd:
                return lines.Any(l => SystemdSections.Contains(l)) ? (lines.Any(l => l.Contains("gunicorn", StringComparison.Ordinal)) ? 95 : 85) : 30;
            case LaunchFormat.Procfile:
                var procfileLines = lines.Count(IsProcfileLine);
                return procfileLines == 0 ? 30 : lines.Any(l => IsProcfileLine(l) && LaunchInterpreter.RunsGunicorn(l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..])) ? 95 : 85;
            case LaunchFormat.Dockerfile:
                return lines.Any(IsDockerInstruction) ? 90 : 30;
        }

        var first = lines.FirstOrDefault() ?? string.Empty;
        if (SystemdSections.Contains(first) && lines.Any(l => l.StartsWith("ExecStart", StringComparison.Ordinal) || l.StartsWith("Listen", StringComparison.Ordinal)
            || l.StartsWith("Environment", StringComparison.Ordinal)))
        {
            return 70;
        }

        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (ExcludedExtensions.Contains(extension))
        {
            return 0;
        }

        if (first.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase) && lines.Any(l => l.StartsWith("CMD", StringComparison.OrdinalIgnoreCase)
            || l.StartsWith("ENTRYPOINT", StringComparison.OrdinalIgnoreCase)))
        {
            return 50;
        }

        var assignments = lines.Count(IsEnvironmentLine);
        var gunicornEnvironment = lines.Any(l => IsEnvironmentLine(l) && (l.Contains("GUNICORN_CMD_ARGS=", StringComparison.Ordinal)
            || l.Contains("WEB_CONCURRENCY=", StringComparison.Ordinal)));
        if (IsEnvironmentFileName(name))
        {
            return assignments == 0 ? 0 : gunicornEnvironment ? 85 : 50;
        }

        if (IsScriptName(name))
        {
            return runs ? 75 : gunicornEnvironment ? 60 : 0;
        }

        if (runs)
        {
            return 60;
        }

        // An env dump with a platform's own variables (K_SERVICE, DYNO, …) is the host tools reader's; a plain one is ours.
        return gunicornEnvironment && assignments == lines.Count ? (lines.Any(IsPlatformMarker) ? 30 : 60) : 0;
    }

    /// <inheritdoc />
    public void Read(LineSource source, ReadContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var name = Path.GetFileName(source.Name);
        var interpreter = new LaunchInterpreter(context);
        var format = ByName(name);
        if (format == LaunchFormat.Cmdline && TryReadArgv(source.Name, context, interpreter))
        {
            return;
        }

        format ??= ByContent(source.Head());
        ILaunchLineParser parser = format switch
        {
            LaunchFormat.Systemd => new SystemdUnitParser(context, interpreter),
            LaunchFormat.Procfile => new ProcfileParser(context, interpreter),
            LaunchFormat.Dockerfile => new DockerfileParser(context, interpreter),
            _ => new ShellScriptParser(context, interpreter),
        };
        source.ForEachLine(context, (bytes, number) => parser.Line(context.Text(bytes, number), number));
        parser.Finish();
        if (interpreter.Commands == 0 && (format is LaunchFormat.Cmdline or LaunchFormat.Procfile or LaunchFormat.Dockerfile
            || name.EndsWith(".service", StringComparison.OrdinalIgnoreCase)))
        {
            context.Warn(0, "no command here runs Gunicorn (gunicorn, python -m gunicorn, or gunicorn under a wrapper such as newrelic-admin run-program); "
                + "only settings and environment variables were read");
        }
    }

    /// <summary>The format a file name implies, or null when the name says nothing.</summary>
    private static LaunchFormat? ByName(string name)
    {
        var lower = name.ToLowerInvariant();
        if (lower == "cmdline" || lower.EndsWith(".cmdline", StringComparison.Ordinal))
        {
            return LaunchFormat.Cmdline;
        }

        if (lower.EndsWith(".service", StringComparison.Ordinal) || lower.EndsWith(".socket", StringComparison.Ordinal))
        {
            return LaunchFormat.Systemd;
        }

        if (lower == "procfile" || lower.StartsWith("procfile.", StringComparison.Ordinal))
        {
            return LaunchFormat.Procfile;
        }

        if (lower.StartsWith("dockerfile", StringComparison.Ordinal) || lower.StartsWith("containerfile", StringComparison.Ordinal)
            || lower.EndsWith(".dockerfile", StringComparison.Ordinal))
        {
            return LaunchFormat.Dockerfile;
        }

        return null;
    }

    private static LaunchFormat ByContent(IReadOnlyList<string> head)
    {
        var first = head.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#')) ?? string.Empty;
        if (SystemdSections.Contains(first))
        {
            return LaunchFormat.Systemd;
        }

        return first.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase) ? LaunchFormat.Dockerfile : LaunchFormat.Shell;
    }

    /// <summary>Reads a NUL-separated <c>/proc/PID/cmdline</c> file itself; false when the input is no such file.</summary>
    private static bool TryReadArgv(string path, ReadContext context, LaunchInterpreter interpreter)
    {
        byte[] buffer;
        int length;
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            buffer = new byte[MaximumCmdlineBytes + 1];
            length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return false;
        }

        var content = buffer.AsSpan(0, length);
        if (content.IndexOf((byte)0) < 0 || (content.Length > 2 && content[0] == 0x1f && content[1] == 0x8b))
        {
            return false;
        }

        if (length > MaximumCmdlineBytes)
        {
            content = content[..MaximumCmdlineBytes];
            context.Warn(1, $"the command line is longer than {MaximumCmdlineBytes} bytes; only its start was read");
        }

        context.Lines = 1;
        context.Bytes = content.Length;
        var text = context.Text(content, 1);
        var words = text.Split('\0');
        var count = words.Length > 0 && words[^1].Length == 0 ? words.Length - 1 : words.Length;
        interpreter.Command(words.Take(Math.Min(count, ShellWords.MaximumWords)).Select(w => new LaunchWord(w, 1)).ToList());
        if (interpreter.Commands == 0)
        {
            context.Warn(1, "this command line does not run Gunicorn; nothing was read from it");
        }

        return true;
    }

    private static bool IsProcfileLine(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && ProcfileParser.IsProcessType(line.AsSpan(0, colon).Trim()) && colon + 1 < line.Length && line[colon + 1] == ' ';
    }

    private static bool IsDockerInstruction(string line)
    {
        var space = line.IndexOfAny([' ', '\t']);
        var keyword = space < 0 ? line : line[..space];
        return DockerInstructions.Contains(keyword.ToUpperInvariant());
    }

    private static bool IsEnvironmentLine(string line)
    {
        var text = line.StartsWith("export ", StringComparison.Ordinal) ? line[7..].TrimStart() : line;
        var space = text.IndexOfAny([' ', '\t']);
        return LaunchInterpreter.IsAssignment(space < 0 ? text : text[..space]);
    }

    private static bool IsPlatformMarker(string line)
    {
        var text = line.StartsWith("export ", StringComparison.Ordinal) ? line[7..] : line;
        return PlatformVariables.Any(v => text.StartsWith(v, StringComparison.Ordinal));
    }

    private static bool IsEnvironmentFileName(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower is ".env" or "env" or "environment" or "envfile" || lower.StartsWith(".env.", StringComparison.Ordinal)
            || lower.EndsWith(".env", StringComparison.Ordinal) || lower.EndsWith(".env.example", StringComparison.Ordinal);
    }

    private static bool IsScriptName(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.EndsWith(".sh", StringComparison.Ordinal) || lower.EndsWith(".bash", StringComparison.Ordinal)
            || lower.Contains("entrypoint", StringComparison.Ordinal) || lower.StartsWith("start", StringComparison.Ordinal)
            || lower.StartsWith("run", StringComparison.Ordinal) || lower.StartsWith("launch", StringComparison.Ordinal)
            || lower.StartsWith("boot", StringComparison.Ordinal);
    }
}
