using Gunicorn.Insights.Observations;

namespace Gunicorn.Insights.Configuration;

/// <summary>A configuration file that cannot be read or says something invalid; the message names the file and line.</summary>
public sealed class InsightConfigurationException : Exception
{
    /// <summary>Creates the exception for a problem at <paramref name="location"/>.</summary>
    public InsightConfigurationException(SourceLocation location, string problem, Exception? innerException = null)
        : base($"{location}: {problem}", innerException)
    {
        Location = location;
        Problem = problem;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public InsightConfigurationException(string message)
        : base(message)
    {
        Location = new SourceLocation("configuration");
        Problem = message;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InsightConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Location = new SourceLocation("configuration");
        Problem = message;
    }

    /// <summary>Creates the exception with no detail.</summary>
    public InsightConfigurationException()
        : this("The configuration is invalid.")
    {
    }

    /// <summary>Where the problem is.</summary>
    public SourceLocation Location { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}
