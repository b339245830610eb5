namespace Gunicorn.Insights.Observations.Settings;

/// <summary>
/// One configuration parameter as it was found: its component, its canonical name (so <c>-w</c>, <c>--workers</c>,
/// <c>workers =</c> and <c>WEB_CONCURRENCY</c> are all <c>workers</c>), the spelling it was written with, and its typed value.
/// </summary>
public sealed record ConfigParameter : Observation
{
    /// <summary>Creates a parameter read at <paramref name="source"/>.</summary>
    public ConfigParameter(ConfigurationScope scope, string name, SettingValue value, SettingOrigin origin, SourceLocation source)
        : base(source)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        Scope = scope;
        Name = name;
        Value = value;
        Origin = origin;
        WrittenAs = name;
    }

    /// <summary>The component the parameter configures.</summary>
    public ConfigurationScope Scope { get; init; }

    /// <summary>The canonical name (Gunicorn's setting name, the nginx directive, the systemd key, …).</summary>
    public string Name { get; init; }

    /// <summary>The spelling in the artifact, e.g. <c>-w</c> or <c>WEB_CONCURRENCY</c>.</summary>
    public string WrittenAs { get; init; }

    /// <summary>The typed value.</summary>
    public SettingValue Value { get; init; }

    /// <summary>How the value was set.</summary>
    public SettingOrigin Origin { get; init; }

    /// <summary>True when nobody set the parameter and the documented default is shown.</summary>
    public bool IsDefault => Origin == SettingOrigin.Default;

    /// <summary>
    /// The block or section the parameter was found in, when the artifact nests them, e.g. nginx's
    /// <c>http &gt; server example.com &gt; location /api</c> or <c>http &gt; upstream app_server</c>; null at the top level.
    /// </summary>
    public string? Section { get; init; }

    /// <inheritdoc />
    public override string Describe() =>
        IsDefault ? $"{Name} = {Value} (default)" : WrittenAs == Name ? $"{Name} = {Value}" : $"{Name} = {Value} (as {WrittenAs})";
}
