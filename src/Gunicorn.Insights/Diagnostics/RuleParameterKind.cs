namespace Gunicorn.Insights.Diagnostics;

/// <summary>The type of a rule parameter's value.</summary>
public enum RuleParameterKind
{
    /// <summary>A duration: <c>2s</c>, <c>1500ms</c>, <c>1m</c>, or a bare number of seconds.</summary>
    Duration,

    /// <summary>A number, e.g. a factor or a ratio.</summary>
    Number,

    /// <summary>A whole number, e.g. a minimum count of requests.</summary>
    Integer,
}
