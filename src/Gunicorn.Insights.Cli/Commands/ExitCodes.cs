namespace Gunicorn.Insights.Cli.Commands;

/// <summary>What the tool's exit code means.</summary>
internal static class ExitCodes
{
    /// <summary>Nothing at or above the <c>--fail-on</c> level.</summary>
    public const int Clean = 0;

    /// <summary>Diagnoses at or above the <c>--fail-on</c> level.</summary>
    public const int Diagnosed = 1;

    /// <summary>A usage or input error: unknown option, no readable input, unusable configuration.</summary>
    public const int UsageError = 2;
}
