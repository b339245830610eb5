using Gunicorn.Insights.Observations.Hosts;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>
/// Where the host runs, from the variables a platform sets in an <c>env</c> dump (<c>DYNO</c> Heroku,
/// <c>WEBSITE_SITE_NAME</c> Azure App Service, <c>K_SERVICE</c> Cloud Run, <c>GAE_ENV</c>/<c>GAE_SERVICE</c>/<c>GAE_APPLICATION</c>
/// App Engine, <c>KUBERNETES_SERVICE_HOST</c> Kubernetes), a <c>/.dockerenv</c> in a listing, or the paths of
/// <c>/proc/1/cgroup</c> (<c>/docker/</c>, <c>/kubepods</c>). The most specific platform found becomes one
/// <see cref="HostFacts"/> at the line that showed it. Variable values are never read, so no secret can leak.
/// </summary>
internal sealed class PlatformHints(ReadContext context)
{
    private PlatformKind _platform;
    private long _line;

    /// <summary>Reads an environment line (<c>NAME=value</c>, <c>export NAME=value</c>, <c>declare -x NAME="value"</c>); false for other lines.</summary>
    public bool TryEnvironment(string line, long number)
    {
        var text = line.TrimStart();
        if (text.StartsWith("export ", StringComparison.Ordinal))
        {
            text = text[7..].TrimStart();
        }
        else if (text.StartsWith("declare -x ", StringComparison.Ordinal))
        {
            text = text[11..].TrimStart();
        }

        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals > 200 || !IsName(text.AsSpan(0, equals)))
        {
            return false;
        }

        var kind = text[..equals] switch
        {
            "DYNO" => PlatformKind.Heroku,
            "WEBSITE_SITE_NAME" => PlatformKind.AzureAppService,
            "K_SERVICE" => PlatformKind.GoogleCloudRun,
            "GAE_ENV" or "GAE_SERVICE" or "GAE_APPLICATION" => PlatformKind.GoogleAppEngine,
            "KUBERNETES_SERVICE_HOST" => PlatformKind.Kubernetes,
            _ => PlatformKind.Unknown,
        };
        Note(kind, number);
        return true;
    }

    /// <summary>Reads a listing line naming <c>.dockerenv</c> or a <c>/proc/1/cgroup</c> line; false for other lines.</summary>
    public bool TryListing(string line, long number)
    {
        var tokens = HostText.Tokens(line);
        if (tokens.Length > 0 && tokens[^1] is ".dockerenv" or "/.dockerenv")
        {
            Note(PlatformKind.Docker, number);
            return true;
        }

        // /proc/1/cgroup: "12:memory:/docker/3f2a…", "0::/kubepods/burstable/pod…", "0::/system.slice/docker-3f2a….scope".
        var parts = line.Split(':', 3);
        if (parts.Length == 3 && HostText.TryInteger(parts[0], out _) && parts[2].StartsWith('/'))
        {
            Note(parts[2].Contains("kubepods", StringComparison.Ordinal) ? PlatformKind.Kubernetes
                : parts[2].Contains("/docker", StringComparison.Ordinal) || parts[2].Contains("docker-", StringComparison.Ordinal) ? PlatformKind.Docker
                : PlatformKind.Unknown, number);
            return true;
        }

        return false;
    }

    /// <summary>Adds the platform found, if any.</summary>
    public void Finish()
    {
        if (_platform != PlatformKind.Unknown)
        {
            context.Add(new HostFacts(context.At(_line)) { Platform = _platform });
        }
    }

    private void Note(PlatformKind kind, long number)
    {
        if (Rank(kind) > Rank(_platform))
        {
            _platform = kind;
            _line = number;
        }
    }

    /// <summary>How specific a platform is: a managed platform runs on containers, containers on Kubernetes nodes.</summary>
    private static int Rank(PlatformKind kind) => kind switch
    {
        PlatformKind.Heroku or PlatformKind.AzureAppService or PlatformKind.GoogleCloudRun => 4,
        PlatformKind.GoogleAppEngine => 3,
        PlatformKind.Kubernetes => 2,
        PlatformKind.Docker => 1,
        _ => 0,
    };

    private static bool IsName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
