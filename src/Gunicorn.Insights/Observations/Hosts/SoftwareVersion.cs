namespace Gunicorn.Insights.Observations.Hosts;

/// <summary>
/// The version of a component in the deployment (<c>Starting gunicorn 20.1.0</c>, <c>nginx/1.22.1</c>,
/// <c>Redis version=7.0.15</c>). Old Gunicorn versions carry known request-smuggling flaws.
/// </summary>
public sealed record SoftwareVersion : Observation
{
    /// <summary>Creates a version read at <paramref name="source"/>.</summary>
    public SoftwareVersion(string component, Version version, SourceLocation source)
        : base(source)
    {
        ArgumentException.ThrowIfNullOrEmpty(component);
        ArgumentNullException.ThrowIfNull(version);
        Component = component;
        Version = version;
    }

    /// <summary>The component, lower case: <c>gunicorn</c>, <c>nginx</c>, <c>redis</c>, <c>python</c>.</summary>
    public string Component { get; init; }

    /// <summary>The version.</summary>
    public Version Version { get; init; }

    /// <inheritdoc />
    public override string Describe() => $"{Component} {Version}";
}
