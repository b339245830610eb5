using System.Globalization;

namespace Gunicorn.Insights.Readers.Stacks;

/// <summary>Recognisers for the lines of py-spy dumps, faulthandler dumps and strace output (hand parsed, no regular expressions).</summary>
internal static class StackLines
{
    /// <summary>faulthandler's thread header ends with this.</summary>
    public const string MostRecentCallFirst = "(most recent call first):";

    /// <summary>py-spy's <c>Process 7685: gunicorn: worker [app]</c> (not <c>Parent Process …</c>).</summary>
    public static bool TryPySpyProcess(string line, out int pid, out string commandLine)
    {
        pid = 0;
        commandLine = "";
        if (!line.StartsWith("Process ", StringComparison.Ordinal))
        {
            return false;
        }

        var colon = line.IndexOf(':', 8);
        if (colon < 0 || !int.TryParse(line.AsSpan(8, colon - 8), NumberStyles.None, CultureInfo.InvariantCulture, out pid))
        {
            return false;
        }

        commandLine = line[(colon + 1)..].Trim();
        return true;
    }

    /// <summary>py-spy's <c>Thread 7685 (active+gil): "MainThread"</c> or <c>Thread 0x7F3A2B4C5740 (idle)</c>.</summary>
    public static bool TryPySpyThread(string line, out string id, out string status, out string? name)
    {
        id = "";
        status = "";
        name = null;
        if (!line.StartsWith("Thread ", StringComparison.Ordinal) || line.EndsWith(MostRecentCallFirst, StringComparison.Ordinal))
        {
            return false;
        }

        var open = line.IndexOf(" (", 7, StringComparison.Ordinal);
        var close = open < 0 ? -1 : line.IndexOf(')', open);
        if (open < 0 || close < 0)
        {
            return false;
        }

        id = line[7..open];
        status = line[(open + 2)..close];
        if (id.Length == 0 || id.Contains(' ', StringComparison.Ordinal) || status.Length is 0 or > 20 || status.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        var rest = line[(close + 1)..].Trim();
        if (rest.StartsWith(':') && rest.Length > 1)
        {
            name = rest[1..].Trim().Trim('"');
        }
        else if (rest.Length > 0)
        {
            return false;
        }

        return true;
    }

    /// <summary>A py-spy frame: four spaces, then <c>fetchall (psycopg2/extras.py:123)</c> or <c>fchmod (libc.so.6)</c>.</summary>
    public static bool TryPySpyFrame(string line, out string frame)
    {
        frame = "";
        if (!line.StartsWith("    ", StringComparison.Ordinal) || line.StartsWith("        ", StringComparison.Ordinal))
        {
            return false;
        }

        var text = line.Trim();
        var open = text.IndexOf(" (", StringComparison.Ordinal);
        if (open <= 0 || !text.EndsWith(')'))
        {
            return false;
        }

        frame = text;
        return true;
    }

    /// <summary>
    /// faulthandler's <c>Current thread 0x00007f… (most recent call first):</c>, <c>Thread 0x… (most recent call first):</c>
    /// or <c>Stack (most recent call first):</c>.
    /// </summary>
    public static bool TryFaulthandlerThread(string line, out string id, out bool current)
    {
        id = "";
        current = false;
        if (!line.EndsWith(MostRecentCallFirst, StringComparison.Ordinal) || line.StartsWith(' '))
        {
            return false;
        }

        var head = line[..^MostRecentCallFirst.Length].Trim();
        if (head == "Stack")
        {
            current = true;
            id = "current";
            return true;
        }

        if (head.StartsWith("Current thread ", StringComparison.Ordinal) && !head.Contains("C stack", StringComparison.Ordinal))
        {
            current = true;
            head = head[15..];
        }
        else if (head.StartsWith("Thread ", StringComparison.Ordinal))
        {
            head = head[7..];
        }
        else
        {
            return false;
        }

        // 3.13+ may add the thread's name: "Thread 0x… [worker] (most recent call first):".
        var space = head.IndexOf(' ', StringComparison.Ordinal);
        id = space < 0 ? head : head[..space];
        return id.Length > 0;
    }

    /// <summary>faulthandler's frame <c>  File "/srv/app/views.py", line 88 in annual_report</c>, as <c>annual_report (/srv/app/views.py:88)</c>.</summary>
    public static bool TryFaulthandlerFrame(string line, out string frame)
    {
        frame = "";
        var text = line.TrimStart();
        if (!line.StartsWith(' ') || !text.StartsWith("File \"", StringComparison.Ordinal))
        {
            return false;
        }

        var endQuote = text.IndexOf("\", line ", 6, StringComparison.Ordinal);
        if (endQuote < 0)
        {
            return false;
        }

        var file = text[6..endQuote];
        var rest = text[(endQuote + 8)..];
        var space = rest.IndexOf(" in ", StringComparison.Ordinal);
        var lineNumber = space < 0 ? rest : rest[..space];
        var function = space < 0 ? "???" : rest[(space + 4)..].Trim();
        frame = int.TryParse(lineNumber, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? $"{function} ({file}:{lineNumber})" : $"{function} ({file})";
        return true;
    }

    /// <summary>The pid a line of context names: <c>pid: 7685</c>, <c>(pid:7685)</c>, <c>pid=7685</c>, <c>PID 7685</c>.</summary>
    public static bool TryPidMention(string line, out int pid)
    {
        pid = 0;
        var from = 0;
        while (from < line.Length)
        {
            var at = line.IndexOf("pid", from, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false;
            }

            from = at + 3;
            if (at > 0 && char.IsLetterOrDigit(line[at - 1]))
            {
                continue;
            }

            var i = at + 3;
            var separated = false;
            while (i < line.Length && line[i] is ' ' or ':' or '=' or '\t')
            {
                separated = true;
                i++;
            }

            var start = i;
            while (i < line.Length && i - start < 10 && char.IsAsciiDigit(line[i]))
            {
                i++;
            }

            if (separated && i > start && int.TryParse(line.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out pid) && pid > 0)
            {
                return true;
            }
        }

        return false;
    }
}
