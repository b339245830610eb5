namespace Gunicorn.Insights.Cli.Inputs;

/// <summary>The command line or its inputs cannot be used: the tool prints the message on one line and exits 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
