namespace Gunicorn.Insights.Diagnostics;

/// <summary>One concrete step that fixes or confirms a diagnosis.</summary>
/// <param name="Kind">What the step asks of the user.</param>
/// <param name="Text">The step as a sentence.</param>
public sealed record RemediationStep(RemediationKind Kind, string Text)
{
    /// <summary>The setting to change, e.g. <c>--workers</c> or <c>appendfsync</c>.</summary>
    public string? Setting { get; init; }

    /// <summary>The recommended value, e.g. <c>(2 × CPU cores) + 1</c>.</summary>
    public string? RecommendedValue { get; init; }

    /// <summary>The command to run, e.g. <c>py-spy dump --pid PID --subprocesses</c>.</summary>
    public string? Command { get; init; }

    /// <summary>A step that sets <paramref name="setting"/> to <paramref name="recommendedValue"/>.</summary>
    public static RemediationStep ChangeSetting(string setting, string recommendedValue, string text) =>
        new(RemediationKind.ChangeSetting, text) { Setting = setting, RecommendedValue = recommendedValue };

    /// <summary>A step that runs <paramref name="command"/> to fix the problem.</summary>
    public static RemediationStep Run(string command, string text) =>
        new(RemediationKind.RunCommand, text) { Command = command };

    /// <summary>A step that runs <paramref name="command"/> to confirm the diagnosis.</summary>
    public static RemediationStep Investigate(string command, string text) =>
        new(RemediationKind.Investigate, text) { Command = command };

    /// <inheritdoc />
    public override string ToString() => Text;
}
