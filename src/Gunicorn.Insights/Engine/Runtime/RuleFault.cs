namespace Gunicorn.Insights.Engine.Runtime;

/// <summary>The first exception a rule threw in a session, and how often it threw.</summary>
internal sealed class RuleFault(string phase, Exception exception, object? fact)
{
    /// <summary>"evaluating its conditions" or "firing".</summary>
    public string Phase { get; } = phase;

    public Exception Exception { get; } = exception;

    /// <summary>The fact being evaluated when the rule first threw, if any.</summary>
    public object? Fact { get; } = fact;

    public int Count { get; set; } = 1;
}
