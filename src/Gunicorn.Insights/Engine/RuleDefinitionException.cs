namespace Gunicorn.Insights.Engine;

/// <summary>A rule whose definition cannot be compiled; the message names the rule and what is wrong.</summary>
public sealed class RuleDefinitionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RuleDefinitionException()
        : base("The rule definition is invalid.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RuleDefinitionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RuleDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
