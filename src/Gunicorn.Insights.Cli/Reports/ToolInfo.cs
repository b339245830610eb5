using System.Reflection;

namespace Gunicorn.Insights.Cli.Reports;

/// <summary>The tool's name and version as reports state them.</summary>
internal sealed record ToolInfo(string Name, string Version)
{
    public const string InformationUri = "https://github.com/gunicorn-insights/gunicorn-insights";

    public static ToolInfo Current { get; } = new("gunicorn-insights", VersionOf(typeof(ToolInfo).Assembly));

    /// <summary>The semantic version, without the build metadata (<c>+commit</c>) the SDK appends.</summary>
    private static string VersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
