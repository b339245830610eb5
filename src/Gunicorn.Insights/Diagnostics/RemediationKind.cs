namespace Gunicorn.Insights.Diagnostics;

/// <summary>What a remediation step asks of the user.</summary>
public enum RemediationKind
{
    /// <summary>Change a setting to a recommended value.</summary>
    ChangeSetting,

    /// <summary>Run a command to fix the problem (restart, install, reload).</summary>
    RunCommand,

    /// <summary>Run a command or enable a tool to collect the evidence that confirms the diagnosis.</summary>
    Investigate,

    /// <summary>Change the application or the architecture.</summary>
    ChangeCode,
}
