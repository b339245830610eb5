namespace Gunicorn.Insights.Testing;

/// <summary>
/// A rule expectation did not hold. Its message says what was expected and lists what did fire, with evidence; any test
/// framework reports it as a failure.
/// </summary>
public sealed class RuleAssertionException : Exception
{
    /// <summary>Creates the exception with no message.</summary>
    public RuleAssertionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RuleAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public RuleAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
