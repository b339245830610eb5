using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>
/// A tabular mount listing: <c>df -T</c>/<c>df -hT</c> (<c>Filesystem Type 1K-blocks Used Available Use% Mounted on</c>,
/// with long device names wrapped onto a line of their own by old coreutils) or <c>findmnt</c>
/// (<c>TARGET SOURCE FSTYPE OPTIONS</c>, tree-drawn or <c>-l</c>, or <c>--df</c>).
/// </summary>
internal sealed class MountSection : IHostSection
{
    private readonly ReadContext _context;
    private readonly MountTable _mounts;
    private readonly bool _findmnt;
    private readonly int _typeColumn;
    private readonly int _percentColumn;
    private readonly int _targetColumn;
    private readonly int _columnCount;
    private string? _wrappedDevice;

    private MountSection(ReadContext context, MountTable mounts, bool findmnt, int typeColumn, int percentColumn, int targetColumn, int columnCount)
    {
        _context = context;
        _mounts = mounts;
        _findmnt = findmnt;
        _typeColumn = typeColumn;
        _percentColumn = percentColumn;
        _targetColumn = targetColumn;
        _columnCount = columnCount;
    }

    /// <summary>Starts a section at a df or findmnt header; null for any other line.</summary>
    public static MountSection? TryStart(ReadContext context, MountTable mounts, string line, long number)
    {
        var tokens = HostText.Tokens(line);
        if (tokens.Length >= 6 && tokens[0] == "Filesystem" && tokens[^1] == "on" && tokens[^2] == "Mounted")
        {
            var percent = Array.FindIndex(tokens, t => t.EndsWith('%') || t == "Capacity");
            if (tokens[1] != "Type")
            {
                context.Warn(number, "df was run without -T: it shows no filesystem types, so its mounts were not read (run df -T)");
                return new MountSection(context, mounts, findmnt: false, typeColumn: -1, percent, -1, tokens.Length - 1);
            }

            return new MountSection(context, mounts, findmnt: false, typeColumn: 1, percent, -1, tokens.Length - 1);
        }

        var target = Array.IndexOf(tokens, "TARGET");
        var type = Array.IndexOf(tokens, "FSTYPE");
        if (target >= 0 && type >= 0 && (tokens.Contains("SOURCE") || tokens.Contains("OPTIONS") || tokens.Contains("SIZE")))
        {
            return new MountSection(context, mounts, findmnt: true, type, -1, target, tokens.Length);
        }

        return null;
    }

    /// <inheritdoc />
    public bool Line(string line, long number)
    {
        if (line.Length == 0)
        {
            return false;
        }

        return _findmnt ? Findmnt(line, number) : Df(line, number);
    }

    /// <inheritdoc />
    public void Finish()
    {
        if (_wrappedDevice is not null)
        {
            _context.Warn(0, "df's output ends after a device name whose values were cut off");
        }
    }

    private bool Df(string line, long number)
    {
        var tokens = HostText.TokensWithOffsets(line, _columnCount);
        if (tokens.Count == 1 && _wrappedDevice is null)
        {
            // Old df wraps a long device name onto its own line.
            _wrappedDevice = tokens[0].Token;
            return true;
        }

        if (!tokens.Any(t => t.Token.EndsWith('%') || t.Token == "-") && tokens.Count(t => HostText.TryNumber(t.Token.TrimEnd('K', 'M', 'G', 'T', 'P'), out _)) < 2)
        {
            // Not a df row (no Use% and no sizes): the listing ended.
            return false;
        }

        var shift = _wrappedDevice is null ? 0 : 1;
        _wrappedDevice = null;
        if (_typeColumn < 0)
        {
            return true;
        }

        var percent = _percentColumn - shift;
        if (percent < 1 || tokens.Count <= percent || !(tokens[percent].Token.EndsWith('%') || tokens[percent].Token == "-"))
        {
            _context.Warn(number, "df row does not have the header's columns (no Use% value where expected); skipped");
            return true;
        }

        var mountPoint = line[(tokens[percent].Start + tokens[percent].Token.Length)..].Trim();
        _mounts.Add(mountPoint, tokens[_typeColumn - shift].Token, number);
        return true;
    }

    private bool Findmnt(string line, long number)
    {
        // Tree drawing: "├─/dev/shm", "│ └─/dev/mqueue", or in ASCII "|-/dev/shm", "`-/tmp".
        var start = 0;
        while (start < line.Length && line[start] is ' ' or '│' or '├' or '└' or '─' or '|' or '`' or '-')
        {
            start++;
        }

        var body = line[start..];
        var tokens = HostText.TokensWithOffsets(body, _columnCount);
        if (tokens.Count <= Math.Max(_targetColumn, _typeColumn))
        {
            if (tokens.Count > 0 && tokens[0].Token.StartsWith('/'))
            {
                _context.Warn(number, "findmnt row does not have the header's columns; skipped");
                return true;
            }

            return false;
        }

        var target = _targetColumn == _columnCount - 1 ? body[tokens[_targetColumn].Start..].Trim() : tokens[_targetColumn].Token;
        if (!target.StartsWith('/'))
        {
            return false;
        }

        _mounts.Add(target, tokens[_typeColumn].Token, number);
        return true;
    }
}
