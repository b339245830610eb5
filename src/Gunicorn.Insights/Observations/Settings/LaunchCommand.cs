namespace Gunicorn.Insights.Observations.Settings;

/// <summary>
/// The command that starts Gunicorn, as found in a systemd <c>ExecStart=</c>, a Procfile, a Dockerfile <c>CMD</c> or a
/// process list: the words in order, including any wrapper (<c>newrelic-admin run-program</c>, <c>ddtrace-run</c>).
/// Its flags are also reported as <see cref="ConfigParameter"/>s.
/// </summary>
public sealed record LaunchCommand : Observation
{
    /// <summary>Creates a command read at <paramref name="source"/>.</summary>
    public LaunchCommand(IReadOnlyList<string> words, SourceLocation source)
        : base(source)
    {
        ArgumentNullException.ThrowIfNull(words);
        Words = words;
    }

    /// <summary>The command's words after shell splitting.</summary>
    public IReadOnlyList<string> Words { get; init; }

    /// <summary>The programs that wrap Gunicorn, e.g. <c>newrelic-admin</c>; empty when Gunicorn is started directly.</summary>
    public IReadOnlyList<string> Wrappers =>
        Words.TakeWhile(w => !IsGunicorn(w)).Where(w => !w.StartsWith('-') && !w.Contains('=') && !w.StartsWith("run-", StringComparison.Ordinal))
            .Select(w => Path.GetFileName(w)).ToArray();

    /// <summary>The WSGI/ASGI application argument (<c>myapp.wsgi:application</c>), when present.</summary>
    public string? Application => Words.SkipWhile(w => !IsGunicorn(w)).Skip(1).LastOrDefault(w => !w.StartsWith('-') && w.Contains(':'));

    /// <summary>True when the command runs Gunicorn (directly, through <c>python -m gunicorn</c> or a wrapper).</summary>
    public bool RunsGunicorn => Words.Any(IsGunicorn);

    /// <inheritdoc />
    public override string Describe() => string.Join(' ', Words);

    private static bool IsGunicorn(string word) => Path.GetFileName(word) is "gunicorn" or "gunicorn3";
}
