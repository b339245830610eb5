namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>
/// A command line pasted above a tool's output (<c>$ free -m</c>, <c>root@web-1:~# vmstat -S M 1 5</c>,
/// <c>kubectl exec web-1 -- cat /proc/mounts</c>): which tool ran and with which arguments, because some outputs (free's
/// unit, vmstat's interval and unit) do not say so themselves.
/// </summary>
internal sealed class HostCommand
{
    private static readonly HashSet<string> Commands = new(StringComparer.Ordinal)
    {
        "free", "top", "vmstat", "nproc", "getconf", "lscpu", "cat", "mount", "findmnt", "df", "env", "printenv", "ls", "date", "uptime",
    };

    private static readonly HashSet<string> Wrappers = new(StringComparer.Ordinal) { "sudo", "docker", "podman", "kubectl", "oc", "heroku", "time", "watch", "nsenter" };

    private HostCommand(HostTool tool, string[] arguments, string? loadAverageFile)
    {
        Tool = tool;
        Arguments = arguments;
        IsLoadAverageFile = loadAverageFile is not null;
    }

    /// <summary>The tool that ran.</summary>
    public HostTool Tool { get; }

    /// <summary>The arguments after the tool's name.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>True for <c>cat /proc/loadavg</c>.</summary>
    public bool IsLoadAverageFile { get; }

    /// <summary>Recognises a command line; false for any other line (tool output, prose).</summary>
    public static bool TryParse(string line, out HostCommand? command)
    {
        command = null;
        var text = line.TrimStart();
        var prompted = false;
        if (text.Length > 1 && text[0] is '$' or '#' or '>' or '%' && text[1] == ' ')
        {
            text = text[2..];
            prompted = true;
        }
        else if (PromptEnd(text) is > 0 and var end)
        {
            text = text[end..];
            prompted = true;
        }

        var tokens = HostText.Tokens(text);
        if (tokens.Length == 0 || tokens.Length > 40)
        {
            return false;
        }

        var index = 0;
        if (Wrappers.Contains(tokens[0]))
        {
            // sudo -u app free -m, docker exec -it web free -m, kubectl exec web-1 -c app -- cat /proc/mounts, watch -n 1 free -m
            index = Array.FindIndex(tokens, 1, t => Commands.Contains(Path.GetFileName(t)));
            if (index < 0)
            {
                return false;
            }
        }

        // "/usr/bin/free" is free; "_=/usr/bin/env" is an environment variable.
        var name = tokens[index].Contains('=', StringComparison.Ordinal) ? "" : Path.GetFileName(tokens[index]);
        if (!Commands.Contains(name))
        {
            return false;
        }

        var arguments = tokens[(index + 1)..];
        // Without a prompt only a plausible command line counts: "top - 23:45:22 up …" and "free  total" are output.
        if (!prompted && index == 0 && arguments.Length > 0
            && !arguments.All(a => (a.StartsWith('-') && a.Length > 1) || a.StartsWith('/') || char.IsAsciiDigit(a[0]) || a == "|" || a == "head" || a == "tail"))
        {
            return false;
        }

        command = Classify(name, arguments);
        return true;
    }

    /// <summary>The unit multiplier <c>free</c> was asked for, in bytes; null when the arguments do not say (or say -h).</summary>
    public double? FreeUnit()
    {
        double? unit = null;
        var si = Arguments.Contains("--si");
        foreach (var argument in Arguments)
        {
            if (argument.StartsWith("--", StringComparison.Ordinal))
            {
                unit = argument switch
                {
                    "--bytes" => 1,
                    "--kibi" => 1024,
                    "--mebi" => 1024.0 * 1024,
                    "--gibi" => 1024.0 * 1024 * 1024,
                    "--tebi" => 1024.0 * 1024 * 1024 * 1024,
                    "--kilo" => 1000,
                    "--mega" => 1e6,
                    "--giga" => 1e9,
                    "--tera" => 1e12,
                    _ => unit,
                };
            }
            else if (argument.StartsWith('-'))
            {
                foreach (var flag in argument.AsSpan(1))
                {
                    unit = flag switch
                    {
                        'b' => 1,
                        'k' => si ? 1000 : 1024,
                        'm' => si ? 1e6 : 1024.0 * 1024,
                        'g' => si ? 1e9 : 1024.0 * 1024 * 1024,
                        _ => unit,
                    };
                }
            }
        }

        return unit;
    }

    /// <summary>True when <c>free</c> was asked for human-readable sizes (<c>-h</c>), each with its own suffix.</summary>
    public bool FreeIsHuman => Arguments.Any(a => a == "--human" || (a.StartsWith('-') && !a.StartsWith("--", StringComparison.Ordinal) && a.Contains('h', StringComparison.Ordinal)));

    /// <summary>vmstat's <c>-S</c>/<c>--unit</c> in bytes (<c>k</c> 1000, <c>K</c> 1024, <c>m</c> 10⁶, <c>M</c> 2²⁰); null for the default KiB.</summary>
    public double? VmstatUnit()
    {
        for (var i = 0; i < Arguments.Count; i++)
        {
            var argument = Arguments[i];
            string? unit = null;
            if (argument is "-S" or "--unit" && i + 1 < Arguments.Count)
            {
                unit = Arguments[i + 1];
            }
            else if (argument.StartsWith("--unit=", StringComparison.Ordinal))
            {
                unit = argument[7..];
            }
            else if (argument.StartsWith("-S", StringComparison.Ordinal) && argument.Length == 3)
            {
                unit = argument[2..];
            }

            if (unit is not null)
            {
                return unit switch
                {
                    "k" => 1000,
                    "K" => 1024,
                    "m" => 1e6,
                    "M" => 1024.0 * 1024,
                    _ => null,
                };
            }
        }

        return null;
    }

    /// <summary>True when vmstat was told to omit its first (since boot) report: <c>-y</c>/<c>--no-first</c>.</summary>
    public bool VmstatOmitsFirst => Arguments.Any(a => a == "--no-first" || (a.StartsWith('-') && !a.StartsWith("--", StringComparison.Ordinal) && a.Contains('y', StringComparison.Ordinal)));

    /// <summary>vmstat's delay (its first positional number), the interval every sample after the first covers.</summary>
    public TimeSpan? VmstatDelay()
    {
        for (var i = 0; i < Arguments.Count; i++)
        {
            var argument = Arguments[i];
            if (argument is "-S" or "--unit" or "-p" or "--partition" or "-c")
            {
                i++;
                continue;
            }

            if (argument == "|")
            {
                break;
            }

            if (!argument.StartsWith('-') && HostText.TryInteger(argument, out var seconds) && seconds is > 0 and < 86_400)
            {
                return TimeSpan.FromSeconds(seconds);
            }
        }

        return null;
    }

    private static HostCommand Classify(string name, string[] arguments)
    {
        var file = arguments.FirstOrDefault(a => a.StartsWith('/'));
        var tool = name switch
        {
            "free" => HostTool.Free,
            "top" => HostTool.Top,
            "vmstat" => HostTool.Vmstat,
            "nproc" => HostTool.Nproc,
            "getconf" when arguments.Any(a => a.Contains("NPROCESSORS", StringComparison.Ordinal)) => HostTool.Nproc,
            "lscpu" => HostTool.Lscpu,
            "mount" or "findmnt" or "df" => HostTool.Mounts,
            "env" or "printenv" => HostTool.Environment,
            "ls" => HostTool.Listing,
            "date" => HostTool.Date,
            "uptime" => HostTool.Uptime,
            "cat" when file is "/proc/meminfo" => HostTool.Meminfo,
            "cat" when file is "/proc/mounts" or "/proc/self/mounts" or "/etc/mtab" or "/proc/self/mountinfo" or "/proc/1/mountinfo" => HostTool.Mounts,
            "cat" when file is not null && file.StartsWith("/proc/", StringComparison.Ordinal) && file.EndsWith("/environ", StringComparison.Ordinal) => HostTool.Environment,
            "cat" when file is not null && file.StartsWith("/proc/", StringComparison.Ordinal) && file.EndsWith("/cgroup", StringComparison.Ordinal) => HostTool.Listing,
            "cat" when file is "/proc/loadavg" => HostTool.Uptime,
            _ => HostTool.Other,
        };
        return new HostCommand(tool, arguments, file is "/proc/loadavg" ? file : null);
    }

    /// <summary>
    /// Where a shell prompt such as <c>root@web-1:~# </c>, <c>[app@web-1 ~]$ </c>, <c>bash-5.1$ </c> or
    /// <c>/app $ </c> ends; 0 when the line has none.
    /// </summary>
    private static int PromptEnd(string text)
    {
        for (var i = 1; i < Math.Min(text.Length - 1, 80); i++)
        {
            if (text[i] is '$' or '#' or '>' && text[i + 1] == ' ')
            {
                var prompt = text.AsSpan(0, i).TrimEnd();
                if (prompt.Length > 0 && (prompt.Contains('@') || prompt.Contains(':') || prompt.Contains('~') || prompt.EndsWith("]")
                    || prompt.StartsWith("bash") || prompt.StartsWith("sh-") || prompt[0] == '/'))
                {
                    return i + 2;
                }
            }
        }

        return 0;
    }
}
