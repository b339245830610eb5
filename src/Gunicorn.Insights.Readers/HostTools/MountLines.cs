using System.Text;

namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>
/// Single-line mount listings: <c>/proc/mounts</c> (<c>shm /dev/shm tmpfs rw,nosuid 0 0</c>, with <c>\040</c>-style escapes),
/// <c>/proc/self/mountinfo</c> (<c>36 35 98:0 / /tmp rw,relatime - ext4 /dev/sda1 rw</c>) and <c>mount</c>
/// (<c>/dev/sda1 on /tmp type ext4 (rw,relatime)</c>).
/// </summary>
internal static class MountLines
{
    /// <summary>Recognises a line of any of the three listings.</summary>
    public static bool TryParse(string line, out string mountPoint, out string type)
    {
        mountPoint = "";
        type = "";
        var tokens = HostText.Tokens(line);
        if (tokens.Length == 6 && HostText.TryInteger(tokens[4], out _) && HostText.TryInteger(tokens[5], out _) && tokens[1].StartsWith('/'))
        {
            mountPoint = Unescape(tokens[1]);
            type = Unescape(tokens[2]);
            return true;
        }

        if (tokens.Length >= 10 && HostText.TryInteger(tokens[0], out _) && HostText.TryInteger(tokens[1], out _) && tokens[2].Contains(':', StringComparison.Ordinal)
            && Array.IndexOf(tokens, "-", 6) is var dash and > 0 && dash + 1 < tokens.Length && tokens[4].StartsWith('/'))
        {
            mountPoint = Unescape(tokens[4]);
            type = tokens[dash + 1];
            return true;
        }

        var on = line.IndexOf(" on /", StringComparison.Ordinal);
        var typeAt = line.LastIndexOf(" type ", StringComparison.Ordinal);
        if (on > 0 && typeAt > on + 4 && line.EndsWith(')'))
        {
            var options = line.IndexOf(" (", typeAt, StringComparison.Ordinal);
            mountPoint = line[(on + 4)..typeAt];
            type = (options > 0 ? line[(typeAt + 6)..options] : line[(typeAt + 6)..]).Trim();
            return true;
        }

        return false;
    }

    /// <summary>Undoes the octal escapes the kernel writes for space, tab, newline and backslash (<c>\040</c>).</summary>
    public static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && IsOctal(text, i + 1) && IsOctal(text, i + 2) && IsOctal(text, i + 3))
            {
                builder.Append((char)(((text[i + 1] - '0') * 64) + ((text[i + 2] - '0') * 8) + (text[i + 3] - '0')));
                i += 3;
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsOctal(string text, int index) => index < text.Length && text[index] is >= '0' and <= '7';
}
